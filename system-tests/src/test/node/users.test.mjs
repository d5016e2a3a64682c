// User authentication as pusher-js does it: `userAuthentication.customHandler` signs with the
// server SDK's authenticateUser, `signin()` sends pusher:signin, and after pusher:signin_success
// pusher-js subscribes to #server-to-user-{id} by itself. The SDK's sendToUser publishes there and
// terminateUserConnections closes the user's connections, on every gateway. User ids are unique
// per run, so no other test (or earlier run) shares them.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  GATEWAY_A,
  GATEWAY_B,
  authenticatedBy,
  channelName,
  connect,
  disconnectAll,
  errorCodes,
  publisher,
  record,
  recordUser,
  roundTrip,
  signIn,
  sleep,
  subscribe,
  waitFor,
} from './herald.mjs';

const server = publisher(GATEWAY_B);

/** A user of this run: {id, user_info}. */
function user(prefix, name) {
  return { id: channelName(prefix), user_info: { name } };
}

/** Resolves with the promise's value, or rejects after `ms` naming `what`. */
function within(what, promise, ms = 10_000) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The frames of one event name the connection received. */
function framesNamed(pusher, event) {
  return pusher.frames.filter((frame) => frame.event === event);
}

/**
 * Sends a raw pusher:subscribe for a #server-to-user- channel (pusher-js refuses to subscribe to
 * '#' names itself) and resolves with the data of the subscription_error the server answers.
 */
async function subscribeToUserChannelRefused(pusher, userId) {
  const name = `#server-to-user-${userId}`;
  pusher.connection.send_event('pusher:subscribe', { channel: name, auth: '' });
  const [frame] = await waitFor(`pusher:subscription_error on ${name}`,
    () => {
      const frames = pusher.frames.filter((f) => f.channel === name);
      return frames.length > 0 ? frames : null;
    });
  assert.equal(frame.event, 'pusher:subscription_error', JSON.stringify(frame));
  return frame.data;
}

/** Records the connection state changes from now on. */
function recordStates(pusher) {
  const states = [];
  pusher.connection.bind('state_change', ({ current }) => states.push(current));
  return states;
}

test('sendToUser reaches every connection signed in as the user on both gateways, and nobody else', { timeout: 30_000 }, async () => {
  const u1 = user('u1', 'U');
  const u2 = user('u2', 'V');
  let u1OnA, u1OnB, u2OnA, anonymous;
  try {
    u1OnA = await connect(GATEWAY_A, authenticatedBy(server, u1));
    u1OnB = await connect(GATEWAY_B, authenticatedBy(server, u1));
    u2OnA = await connect(GATEWAY_A, authenticatedBy(server, u2));
    anonymous = await connect(GATEWAY_B);

    for (const [pusher, who] of [[u1OnA, u1], [u1OnB, u1], [u2OnA, u2]]) {
      // pusher-js parses the user_data of pusher:signin_success and keeps it.
      assert.deepEqual(await signIn(pusher), who);
      // pusher-js 8.6.0 resolves user.signinDonePromise once the sign-in is over (it never rejects;
      // a failed sign-in resolves it too, which is why signIn checked user_data first).
      await within('user.signinDonePromise', pusher.user.signinDonePromise);
      // The server answers with user_data exactly as the SDK serialized and signed it.
      const successes = framesNamed(pusher, 'pusher:signin_success');
      assert.equal(successes.length, 1, JSON.stringify(successes));
      assert.equal(successes[0].data.user_data, JSON.stringify(who));
      assert.deepEqual(errorCodes(pusher), []);
    }

    const greetings = new Map([[u1OnA, []], [u1OnB, []], [u2OnA, []], [anonymous, []]]);
    for (const [pusher, received] of greetings) {
      pusher.user.bind('greet', (data) => received.push(data));
    }
    const everythingToU2 = recordUser(u2OnA);

    // Only the user itself may listen on its #server-to-user- channel.
    const otherUser = await subscribeToUserChannelRefused(u2OnA, u1.id);
    assert.equal(otherUser.status, 403, JSON.stringify(otherUser));
    const notSignedIn = await subscribeToUserChannelRefused(anonymous, u1.id);
    assert.equal(notSignedIn.status, 403, JSON.stringify(notSignedIn));

    const response = await server.sendToUser(u1.id, 'greet', { hi: 1 });
    assert.equal(response.status, 200);
    await waitFor('the greeting on both of u1\'s connections',
      () => greetings.get(u1OnA).length >= 1 && greetings.get(u1OnB).length >= 1);

    // A message for u2 only reaches u2: it also shows the u1 message did not go there before it.
    assert.equal((await server.sendToUser(u2.id, 'greet', { hi: 2 })).status, 200);
    await waitFor('the greeting on u2\'s connection', () => greetings.get(u2OnA).length >= 1);
    await roundTrip(u1OnA);
    await roundTrip(u1OnB);
    await roundTrip(anonymous);
    await sleep(200);

    assert.deepEqual(greetings.get(u1OnA), [{ hi: 1 }]);
    assert.deepEqual(greetings.get(u1OnB), [{ hi: 1 }]);
    assert.deepEqual(greetings.get(u2OnA), [{ hi: 2 }]);
    assert.deepEqual(everythingToU2, [{ event: 'greet', data: { hi: 2 } }]);
    assert.deepEqual(greetings.get(anonymous), []);
    // On the wire too: nothing of another user's channel.
    for (const pusher of [u1OnA, u1OnB]) {
      assert.deepEqual(framesNamed(pusher, 'greet').map((frame) => [frame.channel, frame.data]),
        [[`#server-to-user-${u1.id}`, { hi: 1 }]]);
    }
    assert.deepEqual(framesNamed(u2OnA, 'greet').map((frame) => [frame.channel, frame.data]),
      [[`#server-to-user-${u2.id}`, { hi: 2 }]]);
    assert.deepEqual(framesNamed(anonymous, 'greet'), []);
    for (const pusher of [u1OnA, u1OnB, u2OnA, anonymous]) {
      assert.equal(pusher.connection.state, 'connected');
    }
  } finally {
    disconnectAll(u1OnA, u1OnB, u2OnA, anonymous);
  }
});

test('a sign-in signed with the wrong secret, or over other user_data, is refused with 4009 and the connection stays open', { timeout: 30_000 }, async () => {
  const u1 = user('u1', 'U');
  const forger = publisher(GATEWAY_B, { secret: 'wrong' });
  const someoneElse = { id: channelName('u9'), user_info: { name: 'X' } };
  // A genuine signature for someoneElse, presented with u1's user_data.
  const tampered = {
    userAuthentication: {
      customHandler: ({ socketId }, callback) => {
        const { auth } = server.authenticateUser(socketId, someoneElse);
        callback(null, { auth, user_data: JSON.stringify(u1) });
      },
    },
  };
  let forgedOnA, forgedOnB, tamperedOnA, genuine;
  try {
    forgedOnA = await connect(GATEWAY_A, authenticatedBy(forger, u1));
    forgedOnB = await connect(GATEWAY_B, authenticatedBy(forger, u1));
    tamperedOnA = await connect(GATEWAY_A, tampered);
    genuine = await connect(GATEWAY_B, authenticatedBy(server, u1));
    const refused = [forgedOnA, forgedOnB, tamperedOnA];
    const states = new Map(refused.map((pusher) => [pusher, recordStates(pusher)]));

    for (const pusher of refused) {
      pusher.signin();
    }
    for (const pusher of refused) {
      // pusher-js emits a pusher:error frame as a connection 'error' {type: 'PusherError', data: {code, message}}.
      await waitFor('pusher:error 4009 for the refused sign-in', () => errorCodes(pusher).includes(4009));
      const [frame] = framesNamed(pusher, 'pusher:error');
      assert.equal(frame.data.code, 4009, JSON.stringify(frame));
      assert.equal(typeof frame.data.message, 'string', JSON.stringify(frame));
    }
    await signIn(genuine);
    const greetings = new Map([[genuine, []], ...refused.map((pusher) => [pusher, []])]);
    for (const [pusher, received] of greetings) {
      pusher.user.bind('greet', (data) => received.push(data));
    }

    assert.equal((await server.sendToUser(u1.id, 'greet', { hi: 1 })).status, 200);
    await waitFor('the greeting on the genuine connection', () => greetings.get(genuine).length >= 1);
    for (const pusher of refused) {
      await roundTrip(pusher);
    }
    await sleep(200);

    for (const pusher of refused) {
      // Refused: no signin_success, no user, nothing for u1, and the socket is still the same one.
      assert.deepEqual(framesNamed(pusher, 'pusher:signin_success'), []);
      assert.equal(pusher.user.user_data, null);
      assert.deepEqual(greetings.get(pusher), []);
      assert.deepEqual(framesNamed(pusher, 'greet'), []);
      assert.equal(pusher.connection.state, 'connected');
      assert.deepEqual(states.get(pusher), []);
      assert.deepEqual(errorCodes(pusher), [4009]);
      // Not signed in, so u1's channel stays closed to it.
      const error = await subscribeToUserChannelRefused(pusher, u1.id);
      assert.equal(error.status, 403, JSON.stringify(error));
    }
    assert.deepEqual(greetings.get(genuine), [{ hi: 1 }]);

    // The connection still works for everything else.
    const name = channelName('after-refused-signin');
    const received = record(await subscribe(forgedOnA, name));
    await server.trigger(name, 'still-here', { n: 1 });
    await waitFor('an event after the refused sign-in', () => received.length >= 1);
    assert.deepEqual(received, [{ event: 'still-here', data: { n: 1 } }]);
  } finally {
    disconnectAll(forgedOnA, forgedOnB, tamperedOnA, genuine);
  }
});

test('terminateUserConnections closes the user\'s connections on both gateways with 4009 and pusher-js does not reconnect', { timeout: 30_000 }, async () => {
  const u1 = user('u1', 'U');
  const u2 = user('u2', 'V');
  let u1OnA, u1OnB, u2OnB, anonymous;
  try {
    u1OnA = await connect(GATEWAY_A, authenticatedBy(server, u1));
    u1OnB = await connect(GATEWAY_B, authenticatedBy(server, u1));
    u2OnB = await connect(GATEWAY_B, authenticatedBy(server, u2));
    anonymous = await connect(GATEWAY_A);
    for (const pusher of [u1OnA, u1OnB, u2OnB]) {
      await signIn(pusher);
    }
    const states = new Map([u1OnA, u1OnB, u2OnB, anonymous].map((pusher) => [pusher, recordStates(pusher)]));
    const toU2 = [];
    u2OnB.user.bind('greet', (data) => toU2.push(data));

    const response = await server.terminateUserConnections(u1.id);
    assert.equal(response.status, 200);

    for (const pusher of [u1OnA, u1OnB]) {
      await waitFor('u1\'s connection to be closed', () => pusher.connection.state === 'disconnected');
      // First the pusher:error frame 4009...
      const errorFrames = framesNamed(pusher, 'pusher:error');
      assert.deepEqual(errorFrames.map((frame) => frame.data.code), [4009], JSON.stringify(errorFrames));
      // ...then the close with code 4009: pusher-js 8.6.0 maps close codes 4001-4099 to its 'refused'
      // action, which emits {type: 'WebSocketError', error: {type: 'PusherError', data: {code}}} and
      // disconnects for good (a close without such a code would make it reconnect after 1 s).
      const closeErrors = pusher.errors.filter((error) => error.type === 'WebSocketError');
      assert.deepEqual(closeErrors.map((error) => error.error && error.error.data && error.error.data.code), [4009],
        JSON.stringify(pusher.errors));
    }
    // Refused means refused: no reconnection attempt follows.
    await sleep(1500);
    for (const pusher of [u1OnA, u1OnB]) {
      assert.equal(pusher.connection.state, 'disconnected');
      assert.deepEqual(states.get(pusher), ['disconnected']);
      assert.equal(pusher.user.user_data, null);
    }

    // The other user, and connections that never signed in, are untouched.
    for (const pusher of [u2OnB, anonymous]) {
      assert.equal(pusher.connection.state, 'connected');
      assert.deepEqual(states.get(pusher), []);
      assert.deepEqual(framesNamed(pusher, 'pusher:error'), []);
    }
    assert.equal((await server.sendToUser(u2.id, 'greet', { hi: 2 })).status, 200);
    await waitFor('the greeting to u2 after u1 was terminated', () => toU2.length >= 1);
    assert.deepEqual(toU2, [{ hi: 2 }]);
    await roundTrip(anonymous);
  } finally {
    disconnectAll(u1OnA, u1OnB, u2OnB, anonymous);
  }
});

test('terminateUserConnections right after pusher:signin_success still closes the connection', { timeout: 30_000 }, async () => {
  const u1 = user('u1', 'U');
  let onA, onB;
  try {
    onA = await connect(GATEWAY_A, authenticatedBy(server, u1));
    onB = await connect(GATEWAY_B, authenticatedBy(server, u1));
    onA.signin();
    onB.signin();
    // Only the signin_success: not the #server-to-user- subscription pusher-js makes after it.
    await waitFor('pusher:signin_success on both connections',
      () => onA.user.user_data !== null && onB.user.user_data !== null);
    assert.equal((await server.terminateUserConnections(u1.id)).status, 200);
    await waitFor('both connections to be closed',
      () => onA.connection.state === 'disconnected' && onB.connection.state === 'disconnected');
    for (const pusher of [onA, onB]) {
      assert.deepEqual(framesNamed(pusher, 'pusher:error').map((frame) => frame.data.code), [4009]);
    }
  } finally {
    disconnectAll(onA, onB);
  }
});
