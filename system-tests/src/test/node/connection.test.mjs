// The WebSocket handshake and keep-alive, as pusher-js 8 sees them.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { GATEWAY_A, GATEWAY_B, TIMEOUT_MS, client, connect, disconnectAll, sleep, waitFor } from './herald.mjs';

const SOCKET_ID = /^\d+\.\d+$/;

test('connecting to either gateway gives a socket_id every server SDK accepts, unique across gateways', { timeout: 30_000 }, async () => {
  let a1, a2, b;
  try {
    a1 = await connect(GATEWAY_A);
    a2 = await connect(GATEWAY_A);
    b = await connect(GATEWAY_B);
    const ids = [a1, a2, b].map((pusher) => pusher.connection.socket_id);
    for (const id of ids) {
      assert.match(id, SOCKET_ID);
    }
    assert.equal(new Set(ids).size, 3, `socket ids must be distinct: ${ids}`);
    // pusher-js only reaches 'connected' on a handshake with a non-zero activity_timeout.
    for (const pusher of [a1, a2, b]) {
      assert.equal(pusher.connection.state, 'connected');
    }
  } finally {
    disconnectAll(a1, a2, b);
  }
});

test('an unknown app key is refused with 4001 and pusher-js does not retry', { timeout: 30_000 }, async () => {
  const pusher = client(GATEWAY_A, { key: 'no-such-key' });
  const errors = [];
  const states = [];
  pusher.connection.bind('error', (error) => errors.push(error));
  pusher.connection.bind('state_change', ({ current }) => states.push(current));
  try {
    await waitFor('an error from pusher-js', () => errors.length > 0);
    // pusher-js turns a handshake pusher:error (or close code) 4001-4099 into a 'refused' action:
    // it emits {type: 'WebSocketError', error: {type: 'PusherError', data: {code, message}}} and disconnects.
    const [error] = errors;
    assert.equal(error.type, 'WebSocketError', JSON.stringify(error));
    assert.equal(error.error.type, 'PusherError', JSON.stringify(error));
    assert.equal(error.error.data.code, 4001, JSON.stringify(error));
    assert.equal(typeof error.error.data.message, 'string');
    await waitFor('the disconnected state', () => pusher.connection.state === 'disconnected');
    // Refused means refused: no reconnection attempt follows.
    await sleep(1500);
    assert.equal(pusher.connection.state, 'disconnected', `states: ${states}`);
    // (The constructor already moved to 'connecting' before we could listen.)
    assert.deepEqual(states, ['disconnected']);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(pusher.connection.socket_id, undefined);
  } finally {
    pusher.disconnect();
  }
});

test('with a short activity timeout pusher-js pings, gets pusher:pong and stays on the same connection', { timeout: 30_000 }, async () => {
  let pusher;
  try {
    pusher = await connect(GATEWAY_A, { activityTimeout: 300, pongTimeout: 5_000 });
    const socketId = pusher.connection.socket_id;
    const states = [];
    pusher.connection.bind('state_change', ({ current }) => states.push(current));
    // Without other traffic pusher-js sends {"event":"pusher:ping","data":{}} after 300 ms of silence;
    // a missing pong would make it reconnect after 5 s.
    await waitFor('three pongs', () => pusher.frames.filter((frame) => frame.event === 'pusher:pong').length >= 3, TIMEOUT_MS);
    await sleep(2_500);
    assert.equal(pusher.connection.state, 'connected');
    assert.equal(pusher.connection.socket_id, socketId);
    assert.deepEqual(states, []);
    assert.ok(pusher.frames.filter((frame) => frame.event === 'pusher:pong').length >= 5);
  } finally {
    disconnectAll(pusher);
  }
});
