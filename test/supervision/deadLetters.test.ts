import { describe, expect, it } from 'vitest';
import { AddressBook } from '../../src/supervision/addressBook.ts';
import { DeadLetterChannel } from '../../src/supervision/deadLetters.ts';
import { supervisor } from '../../src/supervision/supervisorLogic.ts';
import { buildTree, workerMachine } from './helpers.ts';

/** A tree with one order supervisor and a transient child `order-1` that has finished on its own. */
function finishedChild() {
  const built = buildTree({ children: [supervisor('orders', { intensity: 5, children: [] })] });
  built.tree.start();
  built.tree.startChild('orders', { id: 'order-1', logic: workerMachine, restart: 'transient' });
  built.tree.send('order-1', { type: 'finish' });
  expect(built.tree.get('order-1')).toBeUndefined();
  return built;
}

describe('dead letters: lifecycle news to an actor that finished is normal', () => {
  it("a child's done event reaching a parent that already completed is no dead letter", () => {
    const { tree, services } = finishedChild();
    expect(tree.send('order-1', { type: 'child.done', childId: 'slice-3', state: 'filled' } as never)).toBe('unknown');
    expect(tree.send('order-1', { type: 'xstate.done.actor.slice-3' })).toBe('unknown');
    expect(services.deadLetters.count).toBe(0);
  });

  it('any other event to the finished actor, and a done event to an actor that never existed, still are', () => {
    const { tree, services } = finishedChild();
    tree.send('order-1', { type: 'ping' });
    tree.send('order-never', { type: 'child.done' });
    expect(services.deadLetters.latest().map((letter) => [letter.systemId, letter.event.type, letter.reason])).toEqual([
      ['order-1', 'ping', 'unknown_actor'],
      ['order-never', 'child.done', 'unknown_actor'],
    ]);
  });

  it('an address started again is live again: what it is sent is delivered', () => {
    const { tree, services } = finishedChild();
    tree.startChild('orders', { id: 'order-1', logic: workerMachine, restart: 'transient' });
    expect(tree.send('order-1', { type: 'ping' })).toBe('delivered');
    expect(services.deadLetters.count).toBe(0);
  });

  it('the memory of finished actors is bounded: the oldest are forgotten first', () => {
    const letters = new DeadLetterChannel(() => 0);
    const book = new AddressBook(letters);
    const count = 10_001;
    for (let i = 0; i < count; i += 1) {
      book.suspend(`a-${i}`, 1);
      book.retire(`a-${i}`);
    }
    book.send(`a-${count - 1}`, { type: 'child.done' });
    expect(letters.count).toBe(0);
    book.send('a-0', { type: 'child.done' });
    expect(letters.count).toBe(1);
  });
});
