import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Fleet } from '../helpers/fleet.js';
import { getOperation, type HostTree, makeHostTree, startHostFleet, submit, waitFinished } from './operations-fixture.js';

/** A finished operation's handle still answers after the hub restarts on the same data directory. */

let tree: HostTree;
let fleet: Fleet;

beforeAll(async () => {
  tree = await makeHostTree();
  fleet = await startHostFleet(tree);
}, 60_000);

afterAll(async () => {
  await fleet?.close();
  await tree?.close();
});

test('an op_ handle answers the same operation after a restart, and an unknown one is still 404', async () => {
  const res = await submit(fleet.hubUrl, { operations: { hosts: { type: 'file_exists', path: tree.hosts } }, timeout: 10 });
  expect(res.status).toBe(202);
  const { handle } = (await res.json()) as { handle: string };
  const before = await waitFinished(fleet.hubUrl, handle);
  expect(before.summary.ok).toBe(2);
  // Written when it finished; closing the hub waits for queued writes.
  await fleet.restartHub();
  expect(await getOperation(fleet.hubUrl, handle)).toEqual(before);
  const missing = await fetch(`${fleet.hubUrl}/api/v1/operations/op_doesnotexist`);
  expect(missing.status).toBe(404);
}, 60_000);
