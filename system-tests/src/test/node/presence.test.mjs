// Presence channels as pusher-js sees them: the member list on subscription, member_added and
// member_removed per user (not per connection), with members on both gateways. Channel data is
// signed by the pusher server SDK (authorizeChannel with {user_id, user_info}).

import { test } from 'node:test';
import assert from 'node:assert/strict';

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
  sleep,
  subscribe,
  subscribeRefused,
  waitFor,
} from './herald.mjs';

const server = publisher(GATEWAY_B);

/** A connection to a gateway that joins presence channels as this member. */
function member(port, user_id, user_info) {
  return connect(port, authorizedBy(server, user_info === undefined ? { user_id } : { user_id, user_info }));
}

/** The members pusher-js holds for a channel, sorted by id: [{id, info}]. */
function membersOf(channel) {
  const members = [];
  channel.members.each((m) => members.push(m));
  return members.sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

/** Records the channel's pusher:member_added and pusher:member_removed callbacks, as [kind, id]. */
function recordMembership(channel) {
  const changes = [];
  channel.bind('pusher:member_added', (m) => changes.push(['added', m.id]));
  channel.bind('pusher:member_removed', (m) => changes.push(['removed', m.id]));
  return changes;
}

/** The user ids of the member_added or member_removed frames this connection received on a channel. */
function memberFrames(pusher, name, kind) {
  return framesOf(pusher, name, `pusher_internal:member_${kind}`).map((frame) => frame.data.user_id);
}

test('subscription_succeeded lists every member, with numeric user ids as strings, across gateways', { timeout: 30_000 }, async () => {
  const name = channelName('presence-list');
  let alice, bob;
  try {
    alice = await member(GATEWAY_A, 'alice', { name: 'Alice' });
    const onAlice = await subscribe(alice, name);
    const aliceChanges = recordMembership(onAlice);
    assert.equal(onAlice.members.count, 1);
    assert.deepEqual(onAlice.members.me, { id: 'alice', info: { name: 'Alice' } });
    assert.deepEqual(membersOf(onAlice), [{ id: 'alice', info: { name: 'Alice' } }]);
    const [aliceSucceeded] = framesOf(alice, name, 'pusher_internal:subscription_succeeded');
    assert.deepEqual(aliceSucceeded.data, { presence: { ids: ['alice'], hash: { alice: { name: 'Alice' } }, count: 1 } });

    // Bob signs a numeric user id, as Pusher's own examples do.
    bob = await member(GATEWAY_B, 42, { name: 'Bob', tags: ['x', 'y'] });
    const onBob = await subscribe(bob, name);
    assert.equal(onBob.members.count, 2);
    assert.deepEqual(membersOf(onBob), [
      { id: '42', info: { name: 'Bob', tags: ['x', 'y'] } },
      { id: 'alice', info: { name: 'Alice' } },
    ]);
    // pusher-js takes "me" from its own channel_data (the number) and looks it up in the hash.
    assert.deepEqual(onBob.members.me.info, { name: 'Bob', tags: ['x', 'y'] });
    const [bobSucceeded] = framesOf(bob, name, 'pusher_internal:subscription_succeeded');
    assert.deepEqual([...bobSucceeded.data.presence.ids].sort(), ['42', 'alice']);
    assert.equal(bobSucceeded.data.presence.count, 2);
    assert.deepEqual(bobSucceeded.data.presence.hash, { 42: { name: 'Bob', tags: ['x', 'y'] }, alice: { name: 'Alice' } });

    await waitFor('member_added for bob at alice', () => aliceChanges.length >= 1);
    assert.deepEqual(aliceChanges, [['added', '42']]);
    assert.deepEqual(memberFrames(alice, name, 'added'), ['42'], 'user_id must be sent as the string "42"');
    assert.deepEqual(framesOf(alice, name, 'pusher_internal:member_added')[0].data,
      { user_id: '42', user_info: { name: 'Bob', tags: ['x', 'y'] } });
    assert.equal(onAlice.members.count, 2);
    assert.deepEqual(onAlice.members.get('42'), { id: '42', info: { name: 'Bob', tags: ['x', 'y'] } });

    // Nobody hears about themselves.
    await sleep(200);
    assert.deepEqual(memberFrames(bob, name, 'added'), []);

    bob.disconnect();
    await waitFor('member_removed for bob at alice', () => aliceChanges.length >= 2);
    assert.deepEqual(aliceChanges, [['added', '42'], ['removed', '42']]);
    assert.deepEqual(framesOf(alice, name, 'pusher_internal:member_removed').map((frame) => frame.data), [{ user_id: '42' }]);
    assert.equal(onAlice.members.count, 1);
  } finally {
    disconnectAll(alice, bob);
  }
});

test('member_added once per user and member_removed only when the user\'s last connection leaves', { timeout: 30_000 }, async () => {
  const name = channelName('presence-multi');
  let alice, bob1, bob2, carol;
  try {
    alice = await member(GATEWAY_A, 'alice', { name: 'Alice' });
    bob1 = await member(GATEWAY_B, 'bob', { name: 'Bob', tab: 1 });
    bob2 = await member(GATEWAY_A, 'bob', { name: 'Bob', tab: 2 });
    carol = await member(GATEWAY_B, 'carol');
    const onAlice = await subscribe(alice, name);
    const aliceChanges = recordMembership(onAlice);

    const onBob1 = await subscribe(bob1, name);
    await waitFor('bob added at alice', () => aliceChanges.length >= 1);
    // A second connection of bob, on the other gateway: it sees the channel (itself included), nobody hears of it.
    const onBob2 = await subscribe(bob2, name);
    assert.equal(onBob2.members.count, 2);
    assert.deepEqual(membersOf(onBob2).map((m) => m.id), ['alice', 'bob']);
    assert.equal(onBob2.members.me.id, 'bob');
    const bob1Changes = recordMembership(onBob1);

    // Carol joins after bob2: once alice hears of carol, she would have heard of bob2 too.
    await subscribe(carol, name);
    await waitFor('carol added at alice', () => aliceChanges.length >= 2);
    await waitFor('carol added at bob1', () => bob1Changes.length >= 1);
    await sleep(200);
    assert.deepEqual(aliceChanges, [['added', 'bob'], ['added', 'carol']]);
    assert.deepEqual(memberFrames(alice, name, 'added'), ['bob', 'carol']);
    assert.deepEqual(bob1Changes, [['added', 'carol']]);
    assert.deepEqual(memberFrames(bob1, name, 'added'), ['carol']);
    assert.deepEqual(memberFrames(bob2, name, 'added'), ['carol']);
    assert.equal(onAlice.members.count, 3);

    // Bob's first connection leaves (disconnects): bob is still there through bob2.
    bob1.disconnect();
    await sleep(500);
    assert.deepEqual(memberFrames(alice, name, 'removed'), []);
    assert.equal(onAlice.members.count, 3);

    // Carol unsubscribes: her only connection, so she is removed.
    carol.unsubscribe(name);
    await waitFor('carol removed at alice', () => aliceChanges.length >= 3);
    assert.deepEqual(aliceChanges[2], ['removed', 'carol']);
    assert.equal(onAlice.members.count, 2);

    // Bob's last connection goes: now he is removed, once.
    bob2.disconnect();
    await waitFor('bob removed at alice', () => aliceChanges.length >= 4);
    await sleep(300);
    assert.deepEqual(aliceChanges, [['added', 'bob'], ['added', 'carol'], ['removed', 'carol'], ['removed', 'bob']]);
    assert.deepEqual(memberFrames(alice, name, 'removed'), ['carol', 'bob']);
    assert.deepEqual(memberFrames(alice, name, 'added'), ['bob', 'carol']);
    assert.equal(onAlice.members.count, 1);
    assert.deepEqual(membersOf(onAlice), [{ id: 'alice', info: { name: 'Alice' } }]);
  } finally {
    disconnectAll(alice, bob1, bob2, carol);
  }
});

test('two connections of one user joining and leaving at the same moment on both gateways make one member_added and one member_removed', { timeout: 30_000 }, async () => {
  const name = channelName('presence-race');
  let alice, eve1, eve2;
  try {
    alice = await member(GATEWAY_A, 'alice');
    const onAlice = await subscribe(alice, name);
    const aliceChanges = recordMembership(onAlice);
    eve1 = await member(GATEWAY_A, 'eve', { n: 1 });
    eve2 = await member(GATEWAY_B, 'eve', { n: 2 });
    const [onEve1, onEve2] = await Promise.all([subscribe(eve1, name), subscribe(eve2, name)]);
    for (const channel of [onEve1, onEve2]) {
      assert.equal(channel.members.count, 2);
      assert.deepEqual(membersOf(channel).map((m) => m.id), ['alice', 'eve']);
    }
    await waitFor('eve added at alice', () => aliceChanges.length >= 1);
    await sleep(500);
    assert.deepEqual(memberFrames(alice, name, 'added'), ['eve']);
    assert.equal(onAlice.members.count, 2);

    disconnectAll(eve1, eve2);
    await waitFor('eve removed at alice', () => aliceChanges.length >= 2);
    await sleep(500);
    assert.deepEqual(aliceChanges, [['added', 'eve'], ['removed', 'eve']]);
    assert.deepEqual(memberFrames(alice, name, 'removed'), ['eve']);
    assert.equal(onAlice.members.count, 1);
  } finally {
    disconnectAll(alice, eve1, eve2);
  }
});

test('two connections of one user on the same gateway: the first to leave (unsubscribing) removes nobody', { timeout: 30_000 }, async () => {
  const name = channelName('presence-same-gateway');
  let alice, fay1, fay2;
  try {
    alice = await member(GATEWAY_A, 'alice');
    const onAlice = await subscribe(alice, name);
    const aliceChanges = recordMembership(onAlice);
    fay1 = await member(GATEWAY_B, 'fay');
    fay2 = await member(GATEWAY_B, 'fay');
    await subscribe(fay1, name);
    await waitFor('fay added at alice', () => aliceChanges.length >= 1);
    await subscribe(fay2, name);
    fay1.unsubscribe(name);
    // A later change of the channel as a marker: alice hears of it after anything fay1's leaving caused.
    const marker = await member(GATEWAY_B, 'marker');
    try {
      await subscribe(marker, name);
      await waitFor('the marker added at alice', () => aliceChanges.length >= 2);
      await sleep(300);
      assert.deepEqual(aliceChanges, [['added', 'fay'], ['added', 'marker']]);
    } finally {
      disconnectAll(marker);
    }
    fay2.unsubscribe(name);
    await waitFor('fay and the marker removed at alice', () => aliceChanges.filter(([kind]) => kind === 'removed').length >= 2);
    await sleep(300);
    assert.deepEqual(memberFrames(alice, name, 'removed').sort(), ['fay', 'marker']);
    assert.deepEqual(memberFrames(alice, name, 'added'), ['fay', 'marker']);
  } finally {
    disconnectAll(alice, fay1, fay2);
  }
});

test('a user who left and comes back is added again; events reach members on both gateways', { timeout: 30_000 }, async () => {
  const name = channelName('presence-rejoin');
  let alice, dave;
  try {
    alice = await member(GATEWAY_A, 'alice');
    dave = await member(GATEWAY_B, 'dave', { n: 1 });
    const onAlice = await subscribe(alice, name);
    const aliceChanges = recordMembership(onAlice);
    const receivedByAlice = record(onAlice);

    const onDave = record(await subscribe(dave, name));
    await waitFor('dave added', () => aliceChanges.length >= 1);
    dave.unsubscribe(name);
    await waitFor('dave removed', () => aliceChanges.length >= 2);
    const again = record(await subscribe(dave, name));
    await waitFor('dave added again', () => aliceChanges.length >= 3);
    assert.deepEqual(aliceChanges, [['added', 'dave'], ['removed', 'dave'], ['added', 'dave']]);
    assert.equal(onAlice.members.count, 2);

    await server.trigger(name, 'hello', { to: 'everyone' });
    await waitFor('the event at both members', () => receivedByAlice.length >= 1 && again.length >= 1);
    assert.deepEqual(receivedByAlice, [{ event: 'hello', data: { to: 'everyone' } }]);
    assert.deepEqual(again, [{ event: 'hello', data: { to: 'everyone' } }]);
    assert.deepEqual(onDave, []);
  } finally {
    disconnectAll(alice, dave);
  }
});

test('presence channel data signed with the wrong secret is refused with 401 and nobody hears of it', { timeout: 30_000 }, async () => {
  const name = channelName('presence-forged');
  const forger = publisher(GATEWAY_B, { secret: 'wrong' });
  let alice, mallory;
  try {
    alice = await member(GATEWAY_A, 'alice');
    const onAlice = await subscribe(alice, name);
    const aliceChanges = recordMembership(onAlice);
    mallory = await connect(GATEWAY_B, authorizedBy(forger, { user_id: 'mallory' }));
    const error = await subscribeRefused(mallory, name);
    assert.equal(error.status, 401, JSON.stringify(error));
    await sleep(300);
    assert.deepEqual(aliceChanges, []);
    assert.equal(onAlice.members.count, 1);
    assert.equal(mallory.connection.state, 'connected');
  } finally {
    disconnectAll(alice, mallory);
  }
});
