// Publishing with the pusher server SDK and receiving with pusher-js, on public channels. Events are
// published through gateway B; subscribers sit on gateway A (and B), so deliveries cross the
// cluster through the router.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  GATEWAY_A,
  GATEWAY_B,
  channelName,
  connect,
  disconnectAll,
  framesOf,
  publisher,
  record,
  roundTrip,
  sleep,
  subscribe,
  waitFor,
} from './herald.mjs';

const TEXT = 'café "q" \\ \n \u2028 🚀 <tag> &amp;';

test('a stream of events arrives exactly once, in order and intact, on both gateways', { timeout: 60_000 }, async () => {
  const name = channelName('stream');
  const server = publisher(GATEWAY_B);
  let onA, onB;
  try {
    onA = await connect(GATEWAY_A);
    onB = await connect(GATEWAY_B);
    const receivedOnA = record(await subscribe(onA, name));
    const receivedOnB = record(await subscribe(onB, name));

    const sent = [];
    for (let seq = 0; seq < 200; seq++) {
      const data = { seq, text: TEXT, nested: { list: [seq, null, true, 1.5] } };
      const response = await server.trigger(name, 'update', data);
      assert.equal(response.status, 200);
      sent.push({ event: 'update', data });
    }
    // Data the SDK passes through as is: a string that is not JSON reaches pusher-js unparsed.
    await server.trigger(name, 'note', `not json: ${TEXT}`);
    sent.push({ event: 'note', data: `not json: ${TEXT}` });

    await waitFor(`${sent.length} events on both gateways (A has ${receivedOnA.length}, B has ${receivedOnB.length})`,
      () => receivedOnA.length >= sent.length && receivedOnB.length >= sent.length);
    await sleep(300); // room for duplicates to show up
    assert.deepEqual(receivedOnA, sent);
    assert.deepEqual(receivedOnB, sent);
    // Every event frame carries its channel.
    assert.equal(framesOf(onA, name, 'update').length, 200);
  } finally {
    disconnectAll(onA, onB);
  }
});

test('one trigger to several channels reaches each channel once', { timeout: 30_000 }, async () => {
  const names = [channelName('multi-a'), channelName('multi-b'), channelName('multi-c')];
  const server = publisher(GATEWAY_B);
  let all, onlyB;
  try {
    all = await connect(GATEWAY_A);
    onlyB = await connect(GATEWAY_B);
    const received = {};
    for (const name of names) {
      received[name] = record(await subscribe(all, name));
    }
    const receivedOnlyB = record(await subscribe(onlyB, names[1]));

    const response = await server.trigger(names, 'fan', { to: 'all three' });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {}); // what Pusher answers without 'info'
    await server.trigger(names, 'fan', { to: 'all three', again: true });

    await waitFor('two events on every channel',
      () => names.every((name) => received[name].length >= 2) && receivedOnlyB.length >= 2);
    await sleep(300);
    const expected = [
      { event: 'fan', data: { to: 'all three' } },
      { event: 'fan', data: { to: 'all three', again: true } },
    ];
    for (const name of names) {
      assert.deepEqual(received[name], expected, name);
    }
    assert.deepEqual(receivedOnlyB, expected);
    // Nothing for the channels onlyB did not subscribe to.
    assert.deepEqual(onlyB.frames.filter((frame) => frame.event === 'fan' && frame.channel !== names[1]), []);
  } finally {
    disconnectAll(all, onlyB);
  }
});

test('a trigger with socket_id skips that connection only', { timeout: 30_000 }, async () => {
  const name = channelName('exclude');
  const server = publisher(GATEWAY_B);
  let excluded, sameGateway, otherGateway;
  try {
    excluded = await connect(GATEWAY_A);
    sameGateway = await connect(GATEWAY_A);
    otherGateway = await connect(GATEWAY_B);
    await subscribe(excluded, name);
    const receivedSame = record(await subscribe(sameGateway, name));
    const receivedOther = record(await subscribe(otherGateway, name));

    await server.trigger(name, 'not-for-you', { n: 1 }, { socket_id: excluded.connection.socket_id });
    // A later event on the same channel: once it is in, the excluded one would have been too.
    await server.trigger(name, 'marker', { n: 2 });

    await waitFor('the marker everywhere', () => framesOf(excluded, name, 'marker').length === 1
      && receivedSame.length >= 2 && receivedOther.length >= 2);
    await sleep(200);
    assert.deepEqual(framesOf(excluded, name).map((frame) => frame.event), ['marker']);
    const expected = [{ event: 'not-for-you', data: { n: 1 } }, { event: 'marker', data: { n: 2 } }];
    assert.deepEqual(receivedSame, expected);
    assert.deepEqual(receivedOther, expected);
  } finally {
    disconnectAll(excluded, sameGateway, otherGateway);
  }
});

test('after unsubscribing, a connection gets nothing more on that channel', { timeout: 30_000 }, async () => {
  const name = channelName('unsub');
  const kept = channelName('kept');
  const server = publisher(GATEWAY_B);
  let leaving, staying;
  try {
    leaving = await connect(GATEWAY_A);
    staying = await connect(GATEWAY_A);
    const receivedByLeaving = record(await subscribe(leaving, name));
    const receivedOnKept = record(await subscribe(leaving, kept));
    const receivedByStaying = record(await subscribe(staying, name));

    await server.trigger(name, 'before', { n: 1 });
    await waitFor('the first event', () => receivedByLeaving.length === 1 && receivedByStaying.length === 1);

    leaving.unsubscribe(name);
    await roundTrip(leaving); // the gateway has handled the unsubscribe once it answered a later ping
    assert.equal(leaving.channel(name), undefined);

    await server.trigger(name, 'after', { n: 2 });
    await server.trigger(kept, 'still-here', { n: 3 });
    await waitFor('the later events', () => receivedByStaying.length === 2 && receivedOnKept.length === 1);
    await sleep(300);
    // pusher-js drops frames for channels it left, so look at what the server actually sent.
    assert.deepEqual(framesOf(leaving, name).map((frame) => frame.event), ['before']);
    assert.deepEqual(receivedByStaying.map((event) => event.event), ['before', 'after']);
    assert.deepEqual(receivedOnKept, [{ event: 'still-here', data: { n: 3 } }]);

    // Subscribing again works and delivers again.
    const again = record(await subscribe(leaving, name));
    await server.trigger(name, 'back', { n: 4 });
    await waitFor('the event after resubscribing', () => again.length === 1);
    assert.deepEqual(again, [{ event: 'back', data: { n: 4 } }]);
  } finally {
    disconnectAll(leaving, staying);
  }
});
