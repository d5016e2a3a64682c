// The REST publish limits as the pusher server SDK meets them: event names up to 200 characters,
// channel names up to 164, at most 100 channels per trigger. Where the SDK already refuses
// client-side (an event name over 200, more than 100 channels: it throws before sending), the
// request is made with the SDK's own signed `post` instead, exactly the body `trigger` would send,
// so Herald's answer is still what is checked. Refusals come back as a RequestError with status 400,
// and nothing of a refused request is delivered.

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

const MAX_EVENT_NAME = 200;
const MAX_CHANNEL_NAME = 164;
const MAX_CHANNELS = 100;

const server = publisher(GATEWAY_B);

/** Asserts that the promise rejects with the SDK's RequestError of status 400 and a JSON error body. */
async function rejectsWith400(promise) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.name, 'PusherRequestError', String(error));
    assert.equal(error.status, 400, `status of ${error.message}, body ${error.body}`);
    const body = JSON.parse(error.body);
    assert.equal(typeof body.error, 'string', error.body);
    return true;
  });
}

/** What `trigger` posts, sent with the SDK's signing but without its client-side checks. */
function rawTrigger(channels, name, data) {
  return server.post({ path: '/events', body: { name, data: JSON.stringify(data), channels } });
}

/** A name of exactly `length` characters starting with `prefix` (and unique, via channelName). */
function nameOfLength(prefix, length) {
  const unique = channelName(prefix);
  assert.ok(unique.length <= length);
  return unique + 'x'.repeat(length - unique.length);
}

test('an event name of 200 characters is delivered; 201 is refused with 400 and not delivered', { timeout: 30_000 }, async () => {
  const name = channelName('event-name-limit');
  const longest = nameOfLength('ev', MAX_EVENT_NAME);
  const tooLong = nameOfLength('ev', MAX_EVENT_NAME + 1);
  let subscriber;
  try {
    subscriber = await connect(GATEWAY_A);
    const received = record(await subscribe(subscriber, name));

    // pusher 5.3.4 checks event names itself: trigger and sendToUser throw before sending.
    assert.throws(() => server.trigger(name, tooLong, { n: 0 }), /Too long event name/);
    assert.throws(() => server.sendToUser('someone', tooLong, { n: 0 }), /Too long event name/);
    // So Herald gets it through the SDK's signed post, and through triggerBatch, which does not check.
    await rejectsWith400(rawTrigger([name], tooLong, { n: 1 }));
    await rejectsWith400(server.triggerBatch([{ channel: name, name: tooLong, data: { n: 2 } }]));
    // A batch is all or nothing: the valid event next to the bad one is not delivered either.
    await rejectsWith400(server.triggerBatch([
      { channel: name, name: 'fine', data: { n: 3 } },
      { channel: name, name: tooLong, data: { n: 4 } },
    ]));

    assert.equal((await server.trigger(name, longest, { n: 5 })).status, 200);
    await waitFor('the event with the longest name', () => received.length >= 1);
    await roundTrip(subscriber);
    await sleep(200);
    assert.deepEqual(received, [{ event: longest, data: { n: 5 } }]);
    assert.deepEqual(framesOf(subscriber, name).map((frame) => frame.event.length), [MAX_EVENT_NAME]);
  } finally {
    disconnectAll(subscriber);
  }
});

test('a channel name of 164 characters is delivered; 165 is refused with 400, also next to a valid channel', { timeout: 30_000 }, async () => {
  const longest = nameOfLength('ch-limit', MAX_CHANNEL_NAME);
  const tooLong = nameOfLength('ch-limit', MAX_CHANNEL_NAME + 1);
  const neighbour = channelName('ch-limit-neighbour');
  let subscriber;
  try {
    subscriber = await connect(GATEWAY_A);
    const onLongest = record(await subscribe(subscriber, longest));
    const onNeighbour = record(await subscribe(subscriber, neighbour));

    // pusher 5.3.4 lets channel names up to 200 characters through, so these reach Herald as trigger sends them.
    await rejectsWith400(server.trigger(tooLong, 'too-long', { n: 1 }));
    await rejectsWith400(server.trigger([neighbour, tooLong], 'too-long', { n: 2 }));
    await rejectsWith400(server.triggerBatch([{ channel: tooLong, name: 'too-long', data: { n: 3 } }]));

    assert.equal((await server.trigger([longest, neighbour], 'fits', { n: 4 })).status, 200);
    await waitFor('the event on both channels', () => onLongest.length >= 1 && onNeighbour.length >= 1);
    await roundTrip(subscriber);
    await sleep(200);
    assert.deepEqual(onLongest, [{ event: 'fits', data: { n: 4 } }]);
    assert.deepEqual(onNeighbour, [{ event: 'fits', data: { n: 4 } }]);
  } finally {
    disconnectAll(subscriber);
  }
});

test('a trigger to 100 channels is delivered to each; 101 channels are refused with 400 and delivered to none', { timeout: 30_000 }, async () => {
  const base = channelName('fanout-limit');
  const channels = Array.from({ length: MAX_CHANNELS + 1 }, (_, i) => `${base}-${i}`);
  const hundred = channels.slice(0, MAX_CHANNELS);
  let onA, onB;
  try {
    onA = await connect(GATEWAY_A);
    onB = await connect(GATEWAY_B);
    const firstOnA = record(await subscribe(onA, channels[0]));
    const lastOnB = record(await subscribe(onB, channels[MAX_CHANNELS - 1]));
    const extraOnA = record(await subscribe(onA, channels[MAX_CHANNELS]));

    // pusher 5.3.4 refuses more than 100 channels itself, before sending.
    assert.throws(() => server.trigger(channels, 'too-many', { n: 0 }), /more than 100 channels/);
    await rejectsWith400(rawTrigger(channels, 'too-many', { n: 1 }));

    assert.equal((await server.trigger(hundred, 'hundred', { n: 2 })).status, 200);
    await waitFor('the event on the first and the hundredth channel', () => firstOnA.length >= 1 && lastOnB.length >= 1);
    await roundTrip(onA);
    await roundTrip(onB);
    await sleep(200);
    assert.deepEqual(firstOnA, [{ event: 'hundred', data: { n: 2 } }]);
    assert.deepEqual(lastOnB, [{ event: 'hundred', data: { n: 2 } }]);
    assert.deepEqual(extraOnA, []);
  } finally {
    disconnectAll(onA, onB);
  }
});
