// The REST channel queries, batch triggers and `info` on triggers, through the pusher server SDK.
// The answers are cluster-wide: subscribers sit on both gateways and queries go to either one.
// Herald counts subscriptions a few milliseconds after confirming them, so counts are polled with a
// bounded wait rather than read once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import {
  GATEWAY_A,
  GATEWAY_B,
  authorizedBy,
  channelName,
  connect,
  disconnectAll,
  eventually,
  framesOf,
  publisher,
  record,
  sleep,
  subscribe,
  waitFor,
} from './herald.mjs';

const viaA = publisher(GATEWAY_A);
const viaB = publisher(GATEWAY_B);

/** GET through the SDK, resolving with the status and parsed body. */
async function get(server, path, params) {
  const response = await server.get({ path, params });
  return { status: response.status, body: await response.json() };
}

/** Asserts that the promise rejects with the SDK's RequestError of this HTTP status. */
async function rejectsWithStatus(promise, status) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.name, 'PusherRequestError', String(error));
    assert.equal(error.status, status, `status of ${error.message}, body ${error.body}`);
    return true;
  });
}

test('channel queries: subscription_count, user_count, users and prefix listing, cluster-wide', { timeout: 40_000 }, async () => {
  const tag = randomBytes(5).toString('hex');
  const presenceA = `presence-q${tag}-a`;
  const presenceB = `presence-q${tag}-b`;
  const emptyPresence = `presence-q${tag}-empty`;
  const publicName = `public-q${tag}`;
  const neverUsed = `never-q${tag}`;
  const clients = [];
  const join = async (port, user_id, channels) => {
    const pusher = await connect(port, authorizedBy(viaB, { user_id, user_info: { user: String(user_id) } }));
    clients.push(pusher);
    for (const name of channels) {
      await subscribe(pusher, name);
    }
    return pusher;
  };
  try {
    // presenceA: user 'u1' twice (one connection per gateway) and user 42 on B: 2 users, 3 connections.
    // presenceB: user 'u3' on A. publicName: 2 connections on A, 1 on B.
    const u1a = await join(GATEWAY_A, 'u1', [presenceA, publicName]);
    await join(GATEWAY_B, 'u1', [presenceA, publicName]);
    await join(GATEWAY_B, 42, [presenceA]);
    await join(GATEWAY_A, 'u3', [presenceB, publicName]);

    // Public channel: subscriptions on both gateways, asked of either gateway.
    for (const server of [viaA, viaB]) {
      const { status, body } = await eventually(`subscription_count 3 of ${publicName}`,
        () => get(server, `/channels/${publicName}`, { info: 'subscription_count' }),
        ({ body }) => body.subscription_count === 3);
      assert.equal(status, 200);
      assert.deepEqual(body, { occupied: true, subscription_count: 3 });
    }
    assert.deepEqual((await get(viaA, `/channels/${publicName}`)).body, { occupied: true });

    // Presence channel: distinct users, not connections.
    const presenceInfo = await eventually(`user_count 2 of ${presenceA}`,
      () => get(viaA, `/channels/${presenceA}`, { info: 'user_count' }), ({ body }) => body.user_count === 2);
    assert.deepEqual(presenceInfo.body, { occupied: true, user_count: 2 });
    const users = (await get(viaB, `/channels/${presenceA}/users`)).body;
    assert.deepEqual(Object.keys(users), ['users']);
    assert.deepEqual(users.users.map((user) => user.id).sort(), ['42', 'u1'], `numeric ids as strings, each user once: ${JSON.stringify(users)}`);
    for (const user of users.users) {
      assert.deepEqual(Object.keys(user), ['id']);
    }

    // Listing with a prefix: only occupied channels, with user_count.
    const listed = await eventually('both presence channels listed',
      () => get(viaB, '/channels', { filter_by_prefix: `presence-q${tag}`, info: 'user_count' }),
      ({ body }) => body.channels && Object.keys(body.channels).length === 2);
    assert.deepEqual(listed.body, { channels: { [presenceA]: { user_count: 2 }, [presenceB]: { user_count: 1 } } });
    // The exact prefix of the documentation's example lists ours among any others.
    const allPresence = (await get(viaA, '/channels', { filter_by_prefix: 'presence-', info: 'user_count' })).body;
    assert.deepEqual(allPresence.channels[presenceA], { user_count: 2 });
    assert.deepEqual(allPresence.channels[presenceB], { user_count: 1 });
    assert.ok(Object.keys(allPresence.channels).every((name) => name.startsWith('presence-')), JSON.stringify(allPresence));
    // Without info: an empty object per channel.
    assert.deepEqual((await get(viaA, '/channels', { filter_by_prefix: `public-q${tag}` })).body, { channels: { [publicName]: {} } });
    // And the unfiltered list holds ours.
    const all = (await get(viaA, '/channels')).body;
    for (const name of [presenceA, presenceB, publicName]) {
      assert.deepEqual(all.channels[name], {}, `${name} in ${JSON.stringify(all)}`);
    }
    assert.equal(all.channels[emptyPresence], undefined);

    // Unoccupied channels.
    assert.deepEqual((await get(viaA, `/channels/${neverUsed}`, { info: 'subscription_count' })).body, { occupied: false });
    assert.deepEqual((await get(viaB, `/channels/${neverUsed}`)).body, { occupied: false });
    assert.deepEqual((await get(viaB, `/channels/${emptyPresence}`, { info: 'user_count' })).body, { occupied: false });
    assert.deepEqual((await get(viaB, `/channels/${emptyPresence}/users`)).body, { users: [] });

    // Questions that do not apply: 400.
    await rejectsWithStatus(viaA.get({ path: `/channels/${publicName}`, params: { info: 'user_count' } }), 400);
    await rejectsWithStatus(viaA.get({ path: '/channels', params: { info: 'user_count' } }), 400);
    await rejectsWithStatus(viaA.get({ path: '/channels', params: { filter_by_prefix: 'public-', info: 'user_count' } }), 400);
    await rejectsWithStatus(viaB.get({ path: `/channels/${publicName}/users` }), 400);
    await rejectsWithStatus(viaB.get({ path: `/channels/private-q${tag}/users` }), 400);

    // When one of u1's connections leaves, u1 is still in; the public count drops.
    u1a.disconnect();
    await eventually(`subscription_count 2 of ${publicName}`,
      () => get(viaB, `/channels/${publicName}`, { info: 'subscription_count' }), ({ body }) => body.subscription_count === 2);
    assert.deepEqual((await get(viaA, `/channels/${presenceA}`, { info: 'user_count' })).body, { occupied: true, user_count: 2 });
    assert.deepEqual((await get(viaA, `/channels/${presenceA}/users`)).body.users.map((user) => user.id).sort(), ['42', 'u1']);

    // Everyone gone: unoccupied everywhere.
    disconnectAll(...clients);
    for (const name of [publicName, presenceA, presenceB]) {
      await eventually(`${name} unoccupied`, () => get(viaA, `/channels/${name}`), ({ body }) => body.occupied === false);
      assert.deepEqual((await get(viaB, `/channels/${name}`)).body, { occupied: false });
    }
    await eventually(`no users left in ${presenceA}`, () => get(viaB, `/channels/${presenceA}/users`),
      ({ body }) => Array.isArray(body.users) && body.users.length === 0);
    assert.deepEqual((await get(viaB, '/channels', { filter_by_prefix: `presence-q${tag}`, info: 'user_count' })).body, { channels: {} });
  } finally {
    disconnectAll(...clients);
  }
});

test('triggerBatch delivers every event; a batch of 11 is refused with 400 and delivers nothing', { timeout: 30_000 }, async () => {
  const names = [channelName('batch-a'), channelName('batch-b'), channelName('private-batch')];
  let onA, onB;
  try {
    onA = await connect(GATEWAY_A, authorizedBy(viaB));
    onB = await connect(GATEWAY_B, authorizedBy(viaB));
    const receivedOnA = {};
    const receivedOnB = {};
    for (const name of names) {
      receivedOnA[name] = record(await subscribe(onA, name));
      receivedOnB[name] = record(await subscribe(onB, name));
    }

    const batch = [
      { channel: names[0], name: 'one', data: { n: 1 } },
      { channel: names[1], name: 'two', data: { n: 2 } },
      { channel: names[2], name: 'three', data: 'plain text' },
      { channel: names[0], name: 'four', data: { n: 4 } },
    ];
    const response = await viaB.triggerBatch(batch.map((event) => ({ ...event })));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {});

    const expected = {
      [names[0]]: [{ event: 'one', data: { n: 1 } }, { event: 'four', data: { n: 4 } }],
      [names[1]]: [{ event: 'two', data: { n: 2 } }],
      [names[2]]: [{ event: 'three', data: 'plain text' }],
    };
    await waitFor('every batched event on both gateways', () => names.every((name) =>
      receivedOnA[name].length >= expected[name].length && receivedOnB[name].length >= expected[name].length));

    const tooMany = [];
    for (let i = 0; i < 11; i++) {
      tooMany.push({ channel: names[1], name: 'too-many', data: { i } });
    }
    await rejectsWithStatus(viaA.triggerBatch(tooMany), 400);
    // Ten is the limit, and allowed.
    const ten = await viaA.triggerBatch(tooMany.slice(0, 10).map((event) => ({ ...event, name: 'ten' })));
    assert.equal(ten.status, 200);
    await waitFor('the batch of ten', () => receivedOnA[names[1]].length >= 11 && receivedOnB[names[1]].length >= 11);
    await sleep(300);
    for (const name of [names[0], names[2]]) {
      assert.deepEqual(receivedOnA[name], expected[name], name);
      assert.deepEqual(receivedOnB[name], expected[name], name);
    }
    const tenExpected = [...expected[names[1]], ...[...Array(10).keys()].map((i) => ({ event: 'ten', data: { i } }))];
    assert.deepEqual(receivedOnA[names[1]], tenExpected);
    assert.deepEqual(receivedOnB[names[1]], tenExpected);
    assert.deepEqual(framesOf(onA, names[1], 'too-many'), []);
  } finally {
    disconnectAll(onA, onB);
  }
});

test('trigger and triggerBatch with info return the cluster-wide counts', { timeout: 30_000 }, async () => {
  const name = channelName('info');
  const presence = channelName('presence-info');
  const other = channelName('info-other');
  const clients = [];
  try {
    for (const [port, user] of [[GATEWAY_A, 'p1'], [GATEWAY_A, 'p2'], [GATEWAY_B, 'p1']]) {
      const pusher = await connect(port, authorizedBy(viaA, { user_id: user }));
      clients.push(pusher);
      await subscribe(pusher, name);
      await subscribe(pusher, presence);
    }
    const received = record(clients[2].channel(name));
    await eventually('subscription_count 3', () => get(viaA, `/channels/${name}`, { info: 'subscription_count' }),
      ({ body }) => body.subscription_count === 3);
    await eventually('user_count 2', () => get(viaA, `/channels/${presence}`, { info: 'user_count' }),
      ({ body }) => body.user_count === 2);

    // The SDK puts `info` in the body; the answer lists every channel triggered.
    const response = await viaB.trigger(name, 'counted', { n: 1 }, { info: 'subscription_count' });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { channels: { [name]: { subscription_count: 3 } } });

    const several = await viaA.trigger([name, other], 'counted', { n: 2 }, { info: 'subscription_count' });
    const severalBody = await several.json();
    assert.deepEqual(severalBody.channels[name], { subscription_count: 3 }, JSON.stringify(severalBody));
    assert.ok(other in severalBody.channels, `an entry for every channel triggered: ${JSON.stringify(severalBody)}`);
    assert.ok([undefined, 0].includes(severalBody.channels[other].subscription_count), JSON.stringify(severalBody));

    const presenceResponse = await viaB.trigger(presence, 'counted', {}, { info: 'user_count,subscription_count' });
    assert.deepEqual(await presenceResponse.json(), { channels: { [presence]: { user_count: 2, subscription_count: 3 } } });

    const batch = await viaB.triggerBatch([
      { channel: name, name: 'counted', data: { n: 3 }, info: 'subscription_count' },
      { channel: presence, name: 'counted', data: { n: 4 }, info: 'user_count' },
      { channel: name, name: 'counted', data: { n: 5 } },
    ]);
    assert.equal(batch.status, 200);
    assert.deepEqual(await batch.json(), { batch: [{ subscription_count: 3 }, { user_count: 2 }, {}] });

    await waitFor('the counted events', () => received.length >= 4);
    await sleep(200);
    assert.deepEqual(received.map((event) => event.data.n), [1, 2, 3, 5]);
  } finally {
    disconnectAll(...clients);
  }
});
