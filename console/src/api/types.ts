/**
 * The admin API's answers, as the console reads them: the server's own declarations (the routes'
 * zod schemas, the read models they answer with), imported as types only. esbuild erases these
 * imports, so nothing of src/ is bundled for them; `npx tsc --noEmit -p console` holds the console
 * to the server's contract.
 */
import type { z } from 'zod';
import type { supervisionEventSchema } from '../../../src/admin/schemas/actorStreamViews.ts';
import type { auditVerifySchema } from '../../../src/admin/schemas/auditVerifyViews.ts';
import type { connectionsViewSchema } from '../../../src/admin/schemas/connectionViews.ts';
import type { deadLetterOverviewSchema, deadLetterRowSchema } from '../../../src/admin/schemas/deadLetterViews.ts';
import type { haltStateSchema } from '../../../src/admin/schemas/haltStateViews.ts';
import type { orderDetailSchema, orderPageSchema, orderSummarySchema } from '../../../src/admin/schemas/orderViews.ts';
import type { positionsViewSchema } from '../../../src/admin/schemas/positionViews.ts';
import type { pricesViewSchema } from '../../../src/admin/schemas/priceViews.ts';
import type { reportsViewSchema } from '../../../src/admin/schemas/reportViews.ts';
import type { loginAnswerSchema, sessionStateSchema } from '../../../src/admin/schemas/sessionViews.ts';
import type { breakEventSchema, connectionEventSchema, fillEventSchema, haltEventSchema, lostEventSchema, orderEventSchema } from '../../../src/events/liveEventSchemas.ts';
import type { CatalogMachine } from '../../../src/statechart/catalogDrawings.ts';
import type { ActorNode } from '../../../src/supervision/treeView.ts';
import type { EdgeSection, MachineLayout, Point } from '../../../src/statechart/machineLayout.ts';

export type SessionAnswer = z.output<typeof sessionStateSchema>;
export type LoginAnswer = z.output<typeof loginAnswerSchema>;
export type Role = LoginAnswer['role'];

export type { ActorNode };
export type SupervisionEvent = z.output<typeof supervisionEventSchema>;

export type OrderSummary = z.output<typeof orderSummarySchema>;
export type OrderDetail = z.output<typeof orderDetailSchema>;
export type OrderPage = z.output<typeof orderPageSchema>;

export type OrderEvent = z.output<typeof orderEventSchema>;
export type FillEvent = z.output<typeof fillEventSchema>;
export type BreakEvent = z.output<typeof breakEventSchema>;
export type HaltEvent = z.output<typeof haltEventSchema>;
export type ConnectionEvent = z.output<typeof connectionEventSchema>;
export type LostEvent = z.output<typeof lostEventSchema>;

export type HaltState = z.output<typeof haltStateSchema>;
export type Prices = z.output<typeof pricesViewSchema>;
export type PriceRow = Prices['prices'][number];
export type Positions = z.output<typeof positionsViewSchema>;
export type PositionRow = Positions['positions'][number];
export type Connections = z.output<typeof connectionsViewSchema>;
export type ConnectionRow = Connections['connections'][number];
export type QueueOverview = z.output<typeof deadLetterOverviewSchema>;
export type QueueCounts = QueueOverview['queues'][number];
export type DeadLetter = z.output<typeof deadLetterRowSchema>;
export type Reports = z.output<typeof reportsViewSchema>;
export type AuditVerification = z.output<typeof auditVerifySchema>;

export type MachineEntry = CatalogMachine;
export type MachineGraph = MachineLayout;
export type GraphSection = EdgeSection;
export type GraphPoint = Point;
