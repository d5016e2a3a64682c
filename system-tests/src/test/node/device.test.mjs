// clients/pusher-js-recovery's device option on an unmodified pusher-js 8 client: the sign-in names
// the device, the helper acknowledges what the app's handlers got, and a new Pusher instance of the
// same device gets exactly what the user was sent while it was away. Clients sit on gateway A,
// sendToUser and the REST receipts go through gateway B.

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
  errorCodes,
  eventually,
  publisher,
  recordUser,
  signIn,
  waitFor,
} from './herald.mjs';

const seqs = (events) => events.map((event) => event.data.seq);

/** The devices Herald keeps for the user, by the signed REST API. */
async function devices(server, userId) {
  const response = await server.get({ path: `/users/${encodeURIComponent(userId)}/devices`, params: {} });
  assert.equal(response.status, 200);
  return (await response.json()).devices;
}

function acknowledged(server, userId, device, position) {
  return eventually(`device ${device} acknowledged at ${JSON.stringify(position)}`, () => devices(server, userId),
    (list) => list.some((entry) => entry.id === device && entry.epoch === position.epoch && entry.offset === position.offset));
}

/** A user no other test uses, the SDK publishing to it through gateway B, and `send(seq)` of a 'tick' to it. */
function newUser(prefix) {
  const server = publisher(GATEWAY_B);
  const who = { id: channelName(prefix), user_info: { name: prefix } };
  const send = async (seq) => assert.equal((await server.sendToUser(who.id, 'tick', { seq })).status, 200);
  return { server, who, userChannel: `#server-to-user-${who.id}`, send };
}

test('a new Pusher instance of the same device gets exactly what was sent to the user while the device was away', { timeout: 60_000 }, async () => {
  const { server, who, userChannel, send } = newUser('device-user');
  let before, after;
  try {
    before = await connect(GATEWAY_A, authenticatedBy(server, who));
    const recoveryBefore = withRecovery(before, { device: 'phone' });
    const receivedBefore = recordUser(before);
    await signIn(before);
    await send(1);
    await send(2);
    await waitFor('the first two events', () => receivedBefore.length === 2);
    assert.deepEqual(seqs(receivedBefore), [1, 2]);
    // The helper acknowledged them by itself: Herald stored the phone at the second event.
    const seen = recoveryBefore.position(userChannel);
    await acknowledged(server, who.id, 'phone', seen);
    assert.deepEqual(errorCodes(before), [], 'Herald accepted the sign-in with the device and every ack');
    disconnectAll(before);
    await waitFor('the disconnected state', () => before.connection.state === 'disconnected');

    await send(3);
    await send(4);
    after = await connect(GATEWAY_A, authenticatedBy(server, who));
    const recoveryAfter = withRecovery(after, { device: 'phone' });
    const receivedAfter = recordUser(after);
    await signIn(after);
    await waitFor('the two missed events', () => receivedAfter.length >= 2);
    // A live event after them: a duplicate of what was missed would have come before it.
    await send(5);
    await waitFor('the live event', () => receivedAfter.length >= 3);
    assert.deepEqual(seqs(receivedAfter), [3, 4, 5]);

    const last = recoveryAfter.position(userChannel);
    assert.deepEqual(last, { epoch: seen.epoch, offset: seen.offset + 3 });
    await acknowledged(server, who.id, 'phone', last);
    assert.deepEqual(errorCodes(after), []);
  } finally {
    disconnectAll(before, after);
  }
});

test('with autoAck false only what the app acknowledged counts as received', { timeout: 60_000 }, async () => {
  const { server, who, userChannel, send } = newUser('manual-ack-user');
  let before, after;
  try {
    before = await connect(GATEWAY_A, authenticatedBy(server, who));
    const recovery = withRecovery(before, { device: 'tablet', autoAck: false });
    // The app takes each event's position in its handler, to acknowledge once it is done with it.
    const processed = [];
    before.user.bind('tick', (data) => processed.push({ seq: data.seq, position: recovery.position(userChannel) }));
    await signIn(before);
    await send(1);
    await waitFor('the first event', () => processed.length === 1);
    recovery.ack(userChannel, processed[0].position);
    await acknowledged(server, who.id, 'tablet', processed[0].position);
    await send(2);
    await waitFor('the second event, never acknowledged', () => processed.length === 2);
    disconnectAll(before);
    await waitFor('the disconnected state', () => before.connection.state === 'disconnected');

    after = await connect(GATEWAY_A, authenticatedBy(server, who));
    withRecovery(after, { device: 'tablet', autoAck: false });
    const receivedAfter = recordUser(after);
    await signIn(after);
    await send(3);
    await waitFor('the unacknowledged event and the live one', () => receivedAfter.length >= 2);
    assert.deepEqual(seqs(receivedAfter), [2, 3]);
    assert.deepEqual(errorCodes(before), []);
    assert.deepEqual(errorCodes(after), []);
  } finally {
    disconnectAll(before, after);
  }
});

test('a device id Herald would refuse is refused when the helper is applied', () => {
  const pusher = client(GATEWAY_A, { autoConnect: false });
  try {
    for (const device of ['', 'no spaces', 'x'.repeat(129), 42]) {
      assert.throws(() => withRecovery(pusher, { device }), TypeError, JSON.stringify(device));
    }
    const recovery = withRecovery(pusher, { device: 'Phone_1.home:a-b' });
    assert.throws(() => recovery.ack('orders'), TypeError);
    recovery.detach();
  } finally {
    disconnectAll(pusher);
  }
});
