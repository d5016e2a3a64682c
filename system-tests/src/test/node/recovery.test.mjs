// clients/pusher-js-recovery on an unmodified pusher-js 8 client: positions are tracked from the
// raw frames, a resubscription after a reconnection carries the last one, and Herald sends what was
// missed before the live stream; a gap older than the channel's history (100 events by default)
// surfaces as recovery_failed. Subscribers sit on gateway A, publications go through gateway B.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { withRecovery } from '../../../../clients/pusher-js-recovery/index.mjs';
import {
  GATEWAY_A,
  GATEWAY_B,
  authenticatedBy,
  channelName,
  client,
  connect,
  disconnectAll,
  publisher,
  record,
  recordUser,
  signIn,
  subscribe,
  waitFor,
} from './herald.mjs';

/** More events than the default history keeps (100, trimmed approximately, so up to about 200). */
const BEYOND_HISTORY = 300;

const seqs = (events) => events.map((event) => event.data.seq);
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function disconnected(pusher) {
  pusher.disconnect();
  await waitFor('the disconnected state', () => pusher.connection.state === 'disconnected');
}

async function reconnected(pusher, channel) {
  pusher.connect();
  await waitFor('the resubscription', () => pusher.connection.state === 'connected' && channel.subscribed);
}

/** Publishes `seq` numbers one after the other, each acknowledged before the next, in batches of up to 10. */
async function publishRange(server, name, from, to) {
  for (let first = from; first <= to; first += 10) {
    const batch = range(first, Math.min(first + 9, to)).map((seq) => ({ channel: name, name: 'tick', data: { seq } }));
    const response = await server.triggerBatch(batch);
    assert.equal(response.status, 200);
  }
}

test('positions are tracked per channel from the subscription on, one offset per event', { timeout: 30_000 }, async () => {
  const name = channelName('positions');
  const server = publisher(GATEWAY_B);
  const pusher = client(GATEWAY_A);
  try {
    const recovery = withRecovery(pusher);
    await waitFor('a connection', () => pusher.connection.state === 'connected');
    const events = record(await subscribe(pusher, name));

    // The subscription (sent with herald_recover {}) was answered with the channel's current position.
    const start = recovery.position(name);
    assert.equal(typeof start.epoch, 'string');
    assert.ok(Number.isSafeInteger(start.offset) && start.offset >= 0, JSON.stringify(start));

    await publishRange(server, name, 1, 3);
    await waitFor('three events', () => events.length === 3);
    assert.deepEqual(seqs(events), [1, 2, 3]);
    assert.deepEqual(recovery.position(name), { epoch: start.epoch, offset: start.offset + 3 });
    assert.equal(recovery.position(channelName('never-subscribed')), null);
  } finally {
    disconnectAll(pusher);
  }
});

test('after a reconnection every event published meanwhile arrives once, in order, before the live ones', { timeout: 60_000 }, async () => {
  const name = channelName('reconnect');
  const server = publisher(GATEWAY_B);
  let pusher;
  let publishing = true;
  try {
    pusher = await connect(GATEWAY_A);
    const recovery = withRecovery(pusher);
    const recovered = [];
    recovery.on('recovered', (channel, position) => recovered.push({ channel, position }));
    const channel = await subscribe(pusher, name);
    const events = record(channel);
    const start = recovery.position(name);

    // The publisher goes on at its own pace while the client drops its connection and comes back.
    let published = 0;
    const publisherDone = (async () => {
      while (publishing) {
        const response = await server.trigger(name, 'tick', { seq: published + 1 });
        assert.equal(response.status, 200);
        published += 1;
      }
    })();
    await waitFor('the first events', () => events.length >= 10);
    await disconnected(pusher);
    const missedFrom = published + 1;
    await waitFor('20 events published while disconnected', () => published >= missedFrom + 20);
    await reconnected(pusher, channel);
    const liveFrom = published + 1;
    await waitFor('20 events published after the reconnection', () => published >= liveFrom + 20);
    publishing = false;
    await publisherDone;
    // A last event: whatever was delivered twice would have come before it.
    await publishRange(server, name, published + 1, published + 1);

    await waitFor('every event', () => events.length >= published + 1);
    assert.deepEqual(seqs(events), range(1, published + 1));
    assert.equal(recovered.length, 1, JSON.stringify(recovered));
    assert.equal(recovered[0].channel, name);
    assert.deepEqual(recovery.position(name), { epoch: start.epoch, offset: start.offset + published + 1 });
  } finally {
    publishing = false;
    disconnectAll(pusher);
  }
});

test('a gap longer than the history surfaces as recovery_failed, on the helper and on the channel, then live events go on', { timeout: 60_000 }, async () => {
  const name = channelName('gap');
  const server = publisher(GATEWAY_B);
  let pusher;
  try {
    pusher = await connect(GATEWAY_A);
    const recovery = withRecovery(pusher);
    const failures = [];
    recovery.on('recovery_failed', (channel, position) => failures.push({ channel, position }));
    const channel = await subscribe(pusher, name);
    const events = record(channel);
    // What the app would do: reload the channel's state from its own backend, once per failure.
    let reloads = 0;
    channel.bind('herald:recovery_failed', () => {
      reloads += 1;
    });

    await publishRange(server, name, 1, 1);
    await waitFor('the first event', () => events.length === 1);
    const before = recovery.position(name);

    await disconnected(pusher);
    await publishRange(server, name, 2, 1 + BEYOND_HISTORY);
    await reconnected(pusher, channel);
    await waitFor('recovery_failed', () => failures.length === 1 && reloads === 1);

    const current = { epoch: before.epoch, offset: before.offset + BEYOND_HISTORY };
    assert.deepEqual(failures, [{ channel: name, position: current }]);
    assert.deepEqual(events[1], { event: 'herald:recovery_failed', data: current });
    assert.deepEqual(recovery.position(name), current);

    await publishRange(server, name, 2 + BEYOND_HISTORY, 2 + BEYOND_HISTORY);
    await waitFor('the live event', () => events.length === 3);
    assert.deepEqual(events[2], { event: 'tick', data: { seq: 2 + BEYOND_HISTORY } });
    assert.deepEqual(recovery.position(name), { epoch: before.epoch, offset: current.offset + 1 });
  } finally {
    disconnectAll(pusher);
  }
});

test('a frame seen again at or below the tracked position reaches no handler', { timeout: 30_000 }, async () => {
  const name = channelName('duplicate');
  const server = publisher(GATEWAY_B);
  let plain, recovering;
  try {
    plain = await connect(GATEWAY_A);
    recovering = await connect(GATEWAY_A);
    withRecovery(recovering);
    const eventsOnPlain = record(await subscribe(plain, name));
    const eventsOnRecovering = record(await subscribe(recovering, name));
    const raw = (pusher) => {
      const frames = [];
      pusher.connection.connection.transport.bind_global((kind, message) => kind === 'message' && frames.push(message.data));
      return frames;
    };
    const rawOnPlain = raw(plain);
    const rawOnRecovering = raw(recovering);

    await publishRange(server, name, 1, 2);
    await waitFor('two events on each client', () => eventsOnPlain.length === 2 && eventsOnRecovering.length === 2);
    // The server's own frames, handed to pusher-js a second time through the transport they came from.
    for (const [pusher, frames] of [[plain, rawOnPlain], [recovering, rawOnRecovering]]) {
      for (const data of frames.filter((frame) => frame.includes('"tick"'))) {
        pusher.connection.connection.transport.emit('message', { data });
      }
    }
    await publishRange(server, name, 3, 3);
    await waitFor('the third event on each client', () => eventsOnPlain.length >= 5 && eventsOnRecovering.length >= 3);

    assert.deepEqual(seqs(eventsOnPlain), [1, 2, 1, 2, 3], 'without the helper pusher-js delivers a replayed frame again');
    assert.deepEqual(seqs(eventsOnRecovering), [1, 2, 3]);
  } finally {
    disconnectAll(plain, recovering);
  }
});

test('a cache channel still gets its last event again on resubscription', { timeout: 30_000 }, async () => {
  const name = channelName('cache-recovery');
  const server = publisher(GATEWAY_B);
  let pusher;
  try {
    pusher = await connect(GATEWAY_A);
    withRecovery(pusher);
    const channel = await subscribe(pusher, name);
    const events = record(channel);
    await publishRange(server, name, 1, 1);
    await waitFor('the event', () => events.length === 1);

    await disconnected(pusher);
    await reconnected(pusher, channel);
    await waitFor('the cached event', () => events.length === 2);
    assert.deepEqual(seqs(events), [1, 1]);
  } finally {
    disconnectAll(pusher);
  }
});

test('a channel unsubscribed and subscribed again starts afresh, as without the helper', { timeout: 30_000 }, async () => {
  const name = channelName('resubscribe');
  const server = publisher(GATEWAY_B);
  let pusher;
  try {
    pusher = await connect(GATEWAY_A);
    const recovery = withRecovery(pusher);
    const first = record(await subscribe(pusher, name));
    await publishRange(server, name, 1, 1);
    await waitFor('the first event', () => first.length === 1);

    const afterFirst = recovery.position(name);
    pusher.unsubscribe(name);
    assert.equal(recovery.position(name), null);
    await publishRange(server, name, 2, 3);
    const second = record(await subscribe(pusher, name));
    await publishRange(server, name, 4, 4);
    await waitFor('the live event', () => second.length >= 1);
    assert.deepEqual(seqs(second), [4]);
    assert.deepEqual(recovery.position(name), { epoch: afterFirst.epoch, offset: afterFirst.offset + 3 });
  } finally {
    disconnectAll(pusher);
  }
});

test('positions kept in a storage let a new Pusher instance recover what was published between the two', { timeout: 30_000 }, async () => {
  const name = channelName('stored');
  const server = publisher(GATEWAY_B);
  const entries = new Map();
  const storage = {
    getItem: (key) => (entries.has(key) ? entries.get(key) : null),
    setItem: (key, value) => entries.set(key, String(value)),
    removeItem: (key) => entries.delete(key),
  };
  let before, after;
  try {
    before = await connect(GATEWAY_A);
    withRecovery(before, { storage });
    const seenBefore = record(await subscribe(before, name));
    await publishRange(server, name, 1, 2);
    await waitFor('two events', () => seenBefore.length === 2);
    disconnectAll(before);

    await publishRange(server, name, 3, 5);
    after = client(GATEWAY_A);
    const recovery = withRecovery(after, { storage });
    const seenAfter = record(after.subscribe(name));
    await waitFor('the three missed events', () => seenAfter.length >= 3);
    assert.deepEqual(seqs(seenAfter), [3, 4, 5]);
    assert.equal(recovery.position(name).offset, JSON.parse([...entries.values()][0]).offset);
  } finally {
    disconnectAll(before, after);
  }
});

test('what was sent to a user while disconnected arrives after the sign-in that follows the reconnection', { timeout: 30_000 }, async () => {
  const server = publisher(GATEWAY_B);
  const who = { id: channelName('recovering-user'), user_info: { name: 'R' } };
  const send = async (seq) => assert.equal((await server.sendToUser(who.id, 'tick', { seq })).status, 200);
  let pusher;
  try {
    pusher = await connect(GATEWAY_A, authenticatedBy(server, who));
    withRecovery(pusher);
    await signIn(pusher);
    const received = recordUser(pusher);
    await send(1);
    await waitFor('the first event', () => received.length === 1);

    await disconnected(pusher);
    for (const seq of [2, 3, 4]) {
      await send(seq);
    }
    pusher.connect();
    // pusher-js signs in again by itself once connected, then subscribes #server-to-user- anew.
    await waitFor('the new #server-to-user- subscription',
      () => pusher.user.serverToUserChannel !== null && pusher.user.serverToUserChannel.subscribed);
    await send(5);
    await waitFor('every event', () => received.length >= 5);
    assert.deepEqual(seqs(received), [1, 2, 3, 4, 5]);
  } finally {
    disconnectAll(pusher);
  }
});
