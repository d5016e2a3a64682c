// Cache channels (cache-, private-cache-, private-encrypted-cache-, presence-cache-): right after
// subscription_succeeded a subscriber gets the channel's last event, or pusher:cache_miss when
// nothing was published yet. pusher-js 8.6.0 has no special handling for either: a pusher:cache_miss
// frame carrying the channel is dispatched to the channel object as the event 'pusher:cache_miss',
// and the cached event like any other event. The first subscriber sits on gateway A, publications
// go through gateway B (and A), and the late subscriber sits on gateway B.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import {
  GATEWAY_A,
  GATEWAY_B,
  TIMEOUT_MS,
  authorizedBy,
  channelName,
  connect,
  disconnectAll,
  publisher,
  record,
  roundTrip,
  sleep,
  subscribeRefused,
  waitFor,
} from './herald.mjs';

const TEXT = 'café "q" \\ \n \u2028 🚀 <tag>';

/**
 * Subscribes, recording the channel's events and pusher:cache_miss callbacks from the start: the
 * cached event may arrive in the same network read as subscription_succeeded, before any code
 * awaiting the subscription runs. Resolves with {channel, events, misses} once confirmed.
 */
function subscribeRecording(pusher, name) {
  const channel = pusher.subscribe(name);
  const events = record(channel);
  const misses = [];
  channel.bind('pusher:cache_miss', (data) => misses.push(data));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`subscription to ${name} not confirmed within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    channel.bind('pusher:subscription_succeeded', () => {
      clearTimeout(timer);
      resolve({ channel, events, misses });
    });
    channel.bind('pusher:subscription_error', (error) => {
      clearTimeout(timer);
      reject(new Error(`subscription to ${name} failed: ${JSON.stringify(error)}`));
    });
  });
}

/** The event names of every frame the connection received on a channel, internal ones included, in order. */
function channelFrames(pusher, name) {
  return pusher.frames.filter((frame) => frame.channel === name).map((frame) => frame.event);
}

/**
 * The common scenario: `first` subscribes before anything was published and gets a cache miss;
 * `publish(n)` is called for n = 1..3 and the first subscriber receives all three; `late` (another
 * connection, on the other gateway) then subscribes and gets exactly the third right after
 * subscribing, then live events as usual.
 */
async function missThenLastEvent({ name, first, late, publish, expected }) {
  const early = await subscribeRecording(first, name);
  await waitFor(`pusher:cache_miss on ${name}`, () => early.misses.length >= 1);
  // The cache_miss comes right after subscription_succeeded, with data "{}".
  assert.deepEqual(early.misses, [{}]);
  assert.deepEqual(channelFrames(first, name), ['pusher_internal:subscription_succeeded', 'pusher:cache_miss']);

  for (let n = 1; n <= 3; n++) {
    await publish(n);
  }
  await waitFor(`3 events at the first subscriber (has ${early.events.length})`, () => early.events.length >= 3);
  assert.deepEqual(early.events, [1, 2, 3].map(expected));

  const newcomer = await subscribeRecording(late, name);
  await waitFor(`the cached event at the late subscriber on ${name}`, () => newcomer.events.length >= 1);
  await roundTrip(late);
  await sleep(200);
  assert.deepEqual(newcomer.events, [expected(3)], 'only the last event, once');
  assert.deepEqual(newcomer.misses, []);
  assert.deepEqual(channelFrames(late, name).filter((event) => !event.startsWith('pusher_internal:member_')),
    ['pusher_internal:subscription_succeeded', expected(3).event]);

  // Then live events, to both, and nothing replayed to the first subscriber.
  await publish(4);
  await waitFor('the fourth event at both subscribers', () => early.events.length >= 4 && newcomer.events.length >= 2);
  await sleep(200);
  assert.deepEqual(early.events, [1, 2, 3, 4].map(expected));
  assert.deepEqual(newcomer.events, [3, 4].map(expected));
  assert.deepEqual(early.misses, [{}]);
  return { early, newcomer };
}

test('cache- channels: a cache miss before any publish, then the last event for a new subscriber on the other gateway', { timeout: 30_000 }, async () => {
  const name = channelName('cache-prices');
  const viaB = publisher(GATEWAY_B);
  const viaA = publisher(GATEWAY_A);
  let first, late;
  try {
    first = await connect(GATEWAY_A);
    late = await connect(GATEWAY_B);
    await missThenLastEvent({
      name,
      first,
      late,
      // Through both gateways and both endpoints: the last one in channel order is what is kept.
      publish: async (n) => {
        const response = n === 2
          ? await viaA.triggerBatch([{ channel: name, name: 'tick', data: { n, text: TEXT } }])
          : await viaB.trigger(name, 'tick', { n, text: TEXT });
        assert.equal(response.status, 200);
      },
      expected: (n) => ({ event: 'tick', data: { n, text: TEXT } }),
    });
  } finally {
    disconnectAll(first, late);
  }
});

test('a trigger to several cache channels is kept in each; a channel without the cache- prefix replays nothing', { timeout: 30_000 }, async () => {
  const cacheA = channelName('cache-multi-a');
  const cacheB = channelName('cache-multi-b');
  const plain = channelName('plain-nocache');
  const server = publisher(GATEWAY_B);
  let late;
  try {
    const response = await server.trigger([cacheA, cacheB, plain], 'snapshot', { v: 1 });
    assert.equal(response.status, 200);
    assert.equal((await server.trigger(cacheB, 'snapshot', { v: 2 })).status, 200);

    late = await connect(GATEWAY_A);
    const onA = await subscribeRecording(late, cacheA);
    const onB = await subscribeRecording(late, cacheB);
    const onPlain = await subscribeRecording(late, plain);
    await waitFor('the cached events of both cache channels', () => onA.events.length >= 1 && onB.events.length >= 1);
    await roundTrip(late);
    await sleep(200);
    assert.deepEqual(onA.events, [{ event: 'snapshot', data: { v: 1 } }]);
    assert.deepEqual(onB.events, [{ event: 'snapshot', data: { v: 2 } }]);
    assert.deepEqual(onPlain.events, []);
    assert.deepEqual(onPlain.misses, []);
    assert.deepEqual(channelFrames(late, plain), ['pusher_internal:subscription_succeeded']);
  } finally {
    disconnectAll(late);
  }
});

test('private-cache- channels authorized by channelAuthorization.customHandler: cache miss, then the last event; a forged authorization gets neither', { timeout: 30_000 }, async () => {
  const name = channelName('private-cache-orders');
  const server = publisher(GATEWAY_B);
  const forger = publisher(GATEWAY_B, { secret: 'wrong' });
  let first, late, forged;
  try {
    first = await connect(GATEWAY_A, authorizedBy(server));
    late = await connect(GATEWAY_B, authorizedBy(server));
    forged = await connect(GATEWAY_B, authorizedBy(forger));
    await missThenLastEvent({
      name,
      first,
      late,
      publish: async (n) => assert.equal((await server.trigger(name, 'order', { n })).status, 200),
      expected: (n) => ({ event: 'order', data: { n } }),
    });

    const error = await subscribeRefused(forged, name);
    assert.equal(error.status, 401, JSON.stringify(error));
    await roundTrip(forged);
    await sleep(200);
    // Neither the cached event nor a cache miss reaches a refused subscriber.
    assert.deepEqual(channelFrames(forged, name), ['pusher:subscription_error']);
  } finally {
    disconnectAll(first, late, forged);
  }
});

test('private-encrypted-cache- channels: the cached ciphertext is relayed as is and pusher-js decrypts it', { timeout: 30_000 }, async () => {
  const name = channelName('private-encrypted-cache-vault');
  const server = publisher(GATEWAY_B, { encryptionMasterKeyBase64: randomBytes(32).toString('base64') });
  let first, late;
  try {
    first = await connect(GATEWAY_A, authorizedBy(server));
    late = await connect(GATEWAY_B, authorizedBy(server));
    await missThenLastEvent({
      name,
      first,
      late,
      publish: async (n) => assert.equal((await server.trigger(name, 'sealed', { n, text: TEXT })).status, 200),
      expected: (n) => ({ event: 'sealed', data: { n, text: TEXT } }),
    });
    const [cached] = late.frames.filter((frame) => frame.channel === name && frame.event === 'sealed');
    assert.deepEqual(Object.keys(cached.data).sort(), ['ciphertext', 'nonce'], JSON.stringify(cached));
  } finally {
    disconnectAll(first, late);
  }
});

test('presence-cache- channels: the member list first, then the cache miss or the last event', { timeout: 30_000 }, async () => {
  const name = channelName('presence-cache-room');
  const server = publisher(GATEWAY_B);
  let first, late;
  try {
    first = await connect(GATEWAY_A, authorizedBy(server, { user_id: 'ann' }));
    late = await connect(GATEWAY_B, authorizedBy(server, { user_id: 'bob' }));
    const { newcomer } = await missThenLastEvent({
      name,
      first,
      late,
      publish: async (n) => assert.equal((await server.trigger(name, 'said', { n })).status, 200),
      expected: (n) => ({ event: 'said', data: { n } }),
    });
    const members = [];
    newcomer.channel.members.each((member) => members.push(member.id));
    assert.deepEqual(members.sort(), ['ann', 'bob']);
  } finally {
    disconnectAll(first, late);
  }
});
