// Private and private-encrypted channels: pusher-js authorizes through a customHandler that signs
// with the pusher server SDK, as an app's auth endpoint would. Subscribers sit on both gateways;
// events are published through gateway B.

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
  framesOf,
  publisher,
  record,
  roundTrip,
  sleep,
  subscribe,
  subscribeRefused,
  waitFor,
} from './herald.mjs';

const TEXT = 'café "q" \\ \n \u2028 🚀 <tag>';

test('a private channel authorized by the server SDK subscribes on both gateways and receives REST triggers', { timeout: 30_000 }, async () => {
  const name = channelName('private-ok');
  const server = publisher(GATEWAY_B);
  let onA, onB;
  try {
    onA = await connect(GATEWAY_A, authorizedBy(server));
    onB = await connect(GATEWAY_B, authorizedBy(server));
    const receivedOnA = record(await subscribe(onA, name));
    const receivedOnB = record(await subscribe(onB, name));
    // What pusher-js sent: the SDK's signature of socket_id:channel, under the app key.
    assert.equal(onA.channel(name).subscribed, true);

    const sent = [];
    for (let seq = 0; seq < 5; seq++) {
      const data = { seq, text: TEXT };
      const response = await server.trigger(name, 'private-update', data);
      assert.equal(response.status, 200);
      sent.push({ event: 'private-update', data });
    }
    await waitFor(`5 events on both gateways (A has ${receivedOnA.length}, B has ${receivedOnB.length})`,
      () => receivedOnA.length >= 5 && receivedOnB.length >= 5);
    await sleep(200);
    assert.deepEqual(receivedOnA, sent);
    assert.deepEqual(receivedOnB, sent);
  } finally {
    disconnectAll(onA, onB);
  }
});

test('a private channel signed with the wrong secret gets subscription_error 401 on the channel and nothing delivered', { timeout: 30_000 }, async () => {
  const name = channelName('private-forged');
  const server = publisher(GATEWAY_B);
  const forger = publisher(GATEWAY_B, { secret: 'wrong' });
  let genuine, forgedOnA, forgedOnB;
  try {
    genuine = await connect(GATEWAY_A, authorizedBy(server));
    forgedOnA = await connect(GATEWAY_A, authorizedBy(forger));
    forgedOnB = await connect(GATEWAY_B, authorizedBy(forger));
    const received = record(await subscribe(genuine, name));

    for (const forged of [forgedOnA, forgedOnB]) {
      const error = await subscribeRefused(forged, name);
      // pusher-js hands the frame's data to the channel's pusher:subscription_error callbacks as is.
      assert.equal(error.status, 401, JSON.stringify(error));
      assert.equal(forged.channel(name).subscribed, false);
      // A refused subscription leaves the connection open.
      assert.equal(forged.connection.state, 'connected');
    }

    await server.trigger(name, 'secret-stuff', { n: 1 });
    await waitFor('the event at the genuine subscriber', () => received.length >= 1);
    await roundTrip(forgedOnA);
    await roundTrip(forgedOnB);
    await sleep(300);
    assert.deepEqual(received, [{ event: 'secret-stuff', data: { n: 1 } }]);
    for (const forged of [forgedOnA, forgedOnB]) {
      assert.deepEqual(framesOf(forged, name), [], 'nothing may reach a connection whose subscription was refused');
      assert.equal(forged.connection.state, 'connected');
    }
  } finally {
    disconnectAll(genuine, forgedOnA, forgedOnB);
  }
});

test('an authorization made for another socket or another channel is refused with 401', { timeout: 30_000 }, async () => {
  const name = channelName('private-replayed');
  const server = publisher(GATEWAY_B);
  const misdirected = (sign) => ({ channelAuthorization: { customHandler: (params, callback) => callback(null, sign(params)) } });
  let otherSocket, otherChannel, genuine;
  try {
    genuine = await connect(GATEWAY_A, authorizedBy(server));
    const received = record(await subscribe(genuine, name));
    // A signature valid for some other connection, replayed.
    otherSocket = await connect(GATEWAY_A, misdirected(({ channelName: channel }) => server.authorizeChannel(genuine.connection.socket_id, channel)));
    // A signature for this connection, but for another channel.
    otherChannel = await connect(GATEWAY_B, misdirected(({ socketId }) => server.authorizeChannel(socketId, `${name}-other`)));
    for (const refused of [otherSocket, otherChannel]) {
      const error = await subscribeRefused(refused, name);
      assert.equal(error.status, 401, JSON.stringify(error));
    }
    await server.trigger(name, 'marker', {});
    await waitFor('the marker', () => received.length === 1);
    await roundTrip(otherSocket);
    await roundTrip(otherChannel);
    await sleep(200);
    assert.deepEqual(framesOf(otherSocket, name), []);
    assert.deepEqual(framesOf(otherChannel, name), []);
  } finally {
    disconnectAll(otherSocket, otherChannel, genuine);
  }
});

test('private-encrypted channels: Herald relays the SDK\'s ciphertext and pusher-js decrypts it on both gateways', { timeout: 30_000 }, async () => {
  const name = channelName('private-encrypted-e2e');
  const server = publisher(GATEWAY_B, { encryptionMasterKeyBase64: randomBytes(32).toString('base64') });
  let onA, onB;
  try {
    onA = await connect(GATEWAY_A, authorizedBy(server));
    onB = await connect(GATEWAY_B, authorizedBy(server));
    const receivedOnA = record(await subscribe(onA, name));
    const receivedOnB = record(await subscribe(onB, name));

    const sent = [
      { event: 'sealed', data: { text: TEXT, list: [1, null, true] } },
      { event: 'sealed', data: 'a plain string' },
    ];
    for (const { event, data } of sent) {
      const response = await server.trigger(name, event, data);
      assert.equal(response.status, 200);
    }
    // The batch endpoint encrypts per event too.
    const batchResponse = await server.triggerBatch([{ channel: name, name: 'sealed-batch', data: { batch: TEXT } }]);
    assert.equal(batchResponse.status, 200);
    sent.push({ event: 'sealed-batch', data: { batch: TEXT } });

    await waitFor(`3 decrypted events on both gateways (A has ${receivedOnA.length}, B has ${receivedOnB.length})`,
      () => receivedOnA.length >= 3 && receivedOnB.length >= 3);
    await sleep(200);
    assert.deepEqual(receivedOnA, sent);
    assert.deepEqual(receivedOnB, sent);

    // On the wire: only nonce and ciphertext, exactly as the SDK made them.
    const frames = framesOf(onA, name);
    assert.equal(frames.length, 3);
    for (const frame of frames) {
      assert.deepEqual(Object.keys(frame.data).sort(), ['ciphertext', 'nonce'], JSON.stringify(frame));
      assert.ok(!JSON.stringify(frame).includes('café'), 'plaintext must not appear on the wire');
    }
  } finally {
    disconnectAll(onA, onB);
  }
});

test('private-encrypted channels need a valid authorization too', { timeout: 30_000 }, async () => {
  const name = channelName('private-encrypted-forged');
  const masterKey = randomBytes(32).toString('base64');
  const forger = publisher(GATEWAY_B, { secret: 'wrong', encryptionMasterKeyBase64: masterKey });
  let forged;
  try {
    forged = await connect(GATEWAY_A, authorizedBy(forger));
    const error = await subscribeRefused(forged, name);
    assert.equal(error.status, 401, JSON.stringify(error));
    assert.equal(forged.connection.state, 'connected');
  } finally {
    disconnectAll(forged);
  }
});
