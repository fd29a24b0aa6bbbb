import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildAdminApp } from '../../src/admin/buildAdminApp.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { machineCatalog } from '../../src/machines/catalog.ts';
import { drawCatalogMachine } from '../../src/statechart/catalogDrawings.ts';
import { layoutMachine } from '../../src/statechart/layout.ts';
import { machineGraph } from '../../src/statechart/machineGraph.ts';
import { makeAdminTestApp } from '../admin/adminTestApp.ts';
import { FakeRuntimeView } from '../admin/fakeRuntimeView.ts';
import { expectWellFormedSvg, svgElements } from './drawingChecks.ts';

let app: FastifyInstance;
beforeAll(() => {
  ({ app } = makeAdminTestApp());
});
afterAll(() => app.close());

const get = (url: string) => app.inject({ method: 'GET', url });

describe('GET /machines', () => {
  it('lists every machine of the catalogue with the kinds of the actors that run it', async () => {
    const response = await get('/machines');
    expect(response.statusCode).toBe(200);
    const { machines } = response.json() as { machines: { name: string; kinds: string[] }[] };
    expect(machines.map((machine) => machine.name)).toEqual(Object.keys(machineCatalog));
    const kinds = Object.fromEntries(machines.map((machine) => [machine.name, machine.kinds]));
    expect(kinds.order).toEqual(['order']);
    expect(kinds['ib-connection']).toEqual(['ib-connection']);
    expect(kinds['market-data-source']).toContain('market-data-source:synthetic');
    expect(kinds.twap).toEqual([]);
  });
});

describe('GET /machines/{name}/graph', () => {
  it('answers the laid-out graph as JSON by default: the same as laying the machine out', async () => {
    const response = await get('/machines/order/graph');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const expected = await layoutMachine(machineGraph(machineCatalog.order!()), 'order');
    expect(response.json()).toEqual(expected);
    expect((await get('/machines/order/graph?format=json')).json()).toEqual(expected);
  });

  it('answers an SVG with every state and transition, as image/svg+xml', async () => {
    const response = await get('/machines/ib-connection/graph?format=svg');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expectWellFormedSvg(response.body);
    const graph = machineGraph(machineCatalog['ib-connection']!());
    expect(svgElements(response.body).states.map((state) => state.id).sort()).toEqual(graph.nodes.map((node) => node.id).sort());
  });

  it('answers mermaid as text/plain', async () => {
    const response = await get('/machines/limit-chase/graph?format=mermaid');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toMatch(/^stateDiagram-v2\n/);
    expect(response.body).toContain('limitChase_atDeadline --> limitChase_crossing : always [crosses]');
  });

  it('answers 404 unknown_machine naming the machines there are, whatever the query', async () => {
    for (const url of ['/machines/nope/graph', '/machines/nope/graph?format=png']) {
      const response = await get(url);
      expect(response.statusCode).toBe(404);
      const { error } = response.json() as { error: { code: string; message: string } };
      expect(error.code).toBe('unknown_machine');
      for (const name of Object.keys(machineCatalog)) expect(error.message).toContain(name);
    }
  });

  it('answers 400 invalid_query naming the format when it is not one it draws', async () => {
    const response = await get('/machines/order/graph?format=png');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: { code: 'invalid_query', message: expect.stringContaining('format'), fields: [{ field: 'format', message: 'must be one of json, svg, mermaid' }] },
    });
  });

  it('draws each machine once per format for the process', () => {
    expect(drawCatalogMachine('twap', 'svg')).toBe(drawCatalogMachine('twap', 'svg'));
    expect(drawCatalogMachine('twap', 'svg')).not.toBe(drawCatalogMachine('twap', 'json'));
  });
});

describe('the machine routes beyond loopback', () => {
  it('need a token like every read', async () => {
    const remote = buildAdminApp({ view: new FakeRuntimeView(), token: 'operator-token-0123456789', readToken: 'reader-token-0123456789', host: '0.0.0.0', logger: createSilentLogger() });
    try {
      expect((await remote.inject({ url: '/machines' })).statusCode).toBe(401);
      expect((await remote.inject({ url: '/machines/order/graph?format=svg' })).statusCode).toBe(401);
      const read = await remote.inject({ url: '/machines/order/graph?format=mermaid', headers: { authorization: 'Bearer reader-token-0123456789' } });
      expect(read.statusCode).toBe(200);
    } finally {
      await remote.close();
    }
  });
});
