// The REST publish endpoint refusing what it must refuse, as the pusher server SDK reports it:
// a rejected promise with a RequestError carrying the HTTP status and body.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { GATEWAY_A, GATEWAY_B, channelName, connect, disconnectAll, framesOf, publisher, record, sleep, subscribe, waitFor } from './herald.mjs';

const MAX_DATA_BYTES = 10 * 1024;

/** Asserts that the promise rejects with the SDK's RequestError of this HTTP status. */
async function rejectsWithStatus(promise, status) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.name, 'PusherRequestError', String(error));
    assert.equal(error.status, status, `status of ${error.message}, body ${error.body}`);
    return true;
  });
}

/** A JSON string of exactly `bytes` UTF-8 bytes. */
function jsonOfBytes(bytes) {
  const envelope = JSON.stringify({ pad: '' });
  return JSON.stringify({ pad: 'x'.repeat(bytes - Buffer.byteLength(envelope)) });
}

test('triggers signed with a wrong secret or an unknown key are rejected with 401 and not delivered', { timeout: 30_000 }, async () => {
  const name = channelName('auth');
  let subscriber;
  try {
    subscriber = await connect(GATEWAY_A);
    const received = record(await subscribe(subscriber, name));

    await rejectsWithStatus(publisher(GATEWAY_B, { secret: 'not-the-secret' }).trigger(name, 'forged', { n: 1 }), 401);
    await rejectsWithStatus(publisher(GATEWAY_B, { key: 'not-the-key' }).trigger(name, 'forged', { n: 2 }), 401);

    await publisher(GATEWAY_B).trigger(name, 'genuine', { n: 3 });
    await waitFor('the genuine event', () => received.length >= 1);
    await sleep(200);
    assert.deepEqual(framesOf(subscriber, name).map((frame) => frame.event), ['genuine']);
  } finally {
    disconnectAll(subscriber);
  }
});

test('data over 10 KB is rejected with 413; exactly 10 KB is delivered intact', { timeout: 30_000 }, async () => {
  const name = channelName('size');
  const server = publisher(GATEWAY_B);
  let subscriber;
  try {
    subscriber = await connect(GATEWAY_A);
    const received = record(await subscribe(subscriber, name));

    const tooBig = jsonOfBytes(MAX_DATA_BYTES + 1);
    assert.equal(Buffer.byteLength(tooBig), MAX_DATA_BYTES + 1);
    await rejectsWithStatus(server.trigger(name, 'too-big', tooBig), 413);
    // Counted in bytes, not characters: 5,200 two-byte characters are over the limit too.
    await rejectsWithStatus(server.trigger(name, 'too-big', JSON.stringify({ s: 'é'.repeat(5_200) })), 413);

    const largest = jsonOfBytes(MAX_DATA_BYTES);
    assert.equal(Buffer.byteLength(largest), MAX_DATA_BYTES);
    const response = await server.trigger(name, 'largest', largest);
    assert.equal(response.status, 200);

    await waitFor('the largest event', () => received.length >= 1);
    await sleep(200);
    assert.deepEqual(received, [{ event: 'largest', data: JSON.parse(largest) }]);
    assert.deepEqual(framesOf(subscriber, name).map((frame) => frame.event), ['largest']);
  } finally {
    disconnectAll(subscriber);
  }
});
