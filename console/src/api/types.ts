/**
 * The admin API's answers, as the server declares them: its routes' zod schemas and the read models
 * they answer with, imported as types only. esbuild erases these imports (nothing of src/ is
 * bundled for them) and `npx tsc --noEmit -p console` holds the console to the server's contract.
 */
import type { z } from 'zod';
import type { supervisionEventSchema } from '../../../src/admin/schemas/actorStreamViews.ts';
import type { errorDetailSchema, fieldErrorSchema } from '../../../src/admin/schemas/apiErrorSchema.ts';
import type { auditVerifySchema } from '../../../src/admin/schemas/auditVerifyViews.ts';
import type { connectionsViewSchema } from '../../../src/admin/schemas/connectionViews.ts';
import type { deadLetterListSchema, deadLetterOverviewSchema } from '../../../src/admin/schemas/deadLetterViews.ts';
import type { haltStateSchema } from '../../../src/admin/schemas/haltStateViews.ts';
import type { orderDetailSchema, orderPageSchema, orderSummarySchema } from '../../../src/admin/schemas/orderViews.ts';
import type { positionsViewSchema } from '../../../src/admin/schemas/positionViews.ts';
import type { pricesViewSchema } from '../../../src/admin/schemas/priceViews.ts';
import type { reportsViewSchema } from '../../../src/admin/schemas/reportViews.ts';
import type { loginAnswerSchema, sessionStateSchema } from '../../../src/admin/schemas/sessionViews.ts';
import type { breakEventSchema, fillEventSchema, lostEventSchema, orderEventSchema } from '../../../src/events/liveEventSchemas.ts';
import type { CatalogMachine } from '../../../src/statechart/catalogDrawings.ts';
import type { EdgeSection, MachineLayout } from '../../../src/statechart/machineLayout.ts';
import type { ActorNode } from '../../../src/supervision/treeView.ts';

export type ErrorDetail = z.output<typeof errorDetailSchema>;
export type FieldError = z.output<typeof fieldErrorSchema>;

export type SessionAnswer = z.output<typeof sessionStateSchema>;
export type LoginAnswer = z.output<typeof loginAnswerSchema>;
export type Role = LoginAnswer['role'];

export type { ActorNode };
export type SupervisionEvent = z.output<typeof supervisionEventSchema>;

export type OrderSummary = z.output<typeof orderSummarySchema>;
export type OrderDetail = z.output<typeof orderDetailSchema>;
export type OrderPage = z.output<typeof orderPageSchema>;

/** The live events the console follows (GET /events). */
export type OrderEvent = z.output<typeof orderEventSchema>;
export type FillEvent = z.output<typeof fillEventSchema>;
export type BreakEvent = z.output<typeof breakEventSchema>;
export type LostEvent = z.output<typeof lostEventSchema>;

export type HaltState = z.output<typeof haltStateSchema>;
export type Prices = z.output<typeof pricesViewSchema>;
export type PriceRow = Prices['prices'][number];
export type Positions = z.output<typeof positionsViewSchema>;
export type PositionRow = Positions['positions'][number];
export type Connections = z.output<typeof connectionsViewSchema>;
export type ConnectionRow = Connections['connections'][number];
export type QueueOverview = z.output<typeof deadLetterOverviewSchema>;
export type DeadLetters = z.output<typeof deadLetterListSchema>;
export type DeadLetter = DeadLetters['deadLetters'][number];
export type Reports = z.output<typeof reportsViewSchema>;
export type AuditVerification = z.output<typeof auditVerifySchema>;

export interface MachineCatalog {
  machines: CatalogMachine[];
}
export type MachineGraph = MachineLayout;
export type GraphSection = EdgeSection;
