// Client events (channel.trigger('client-…')) sent by pusher-js: relayed to the channel's other
// subscribers on both gateways, never back to the sender, with the sender's user id on presence
// channels; refused with pusher:error 4301 on public channels and beyond 10 per second.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  GATEWAY_A,
  GATEWAY_B,
  authorizedBy,
  channelName,
  connect,
  disconnectAll,
  errorCodes,
  framesOf,
  publisher,
  roundTrip,
  sleep,
  subscribe,
  waitFor,
} from './herald.mjs';

const server = publisher(GATEWAY_B);

/** Records what a channel's callbacks get for one event: [{data, metadata}]. */
function recordEvent(channel, event) {
  const received = [];
  channel.bind(event, (data, metadata) => received.push({ data, metadata }));
  return received;
}

test('a client event on a private channel reaches the other subscribers on both gateways, not the sender', { timeout: 30_000 }, async () => {
  const name = channelName('private-chat');
  let sender, sameGateway, otherGateway;
  try {
    sender = await connect(GATEWAY_A, authorizedBy(server));
    sameGateway = await connect(GATEWAY_A, authorizedBy(server));
    otherGateway = await connect(GATEWAY_B, authorizedBy(server));
    const onSender = await subscribe(sender, name);
    const senderGot = recordEvent(onSender, 'client-x');
    const sameGot = recordEvent(await subscribe(sameGateway, name), 'client-x');
    const otherGot = recordEvent(await subscribe(otherGateway, name), 'client-x');

    assert.equal(onSender.trigger('client-x', { a: 1 }), true);
    assert.equal(onSender.trigger('client-x', { a: 2, text: 'café 🚀' }), true);
    await waitFor('both client events on both gateways', () => sameGot.length >= 2 && otherGot.length >= 2);
    await roundTrip(sender);
    await sleep(300);
    const expected = [{ a: 1 }, { a: 2, text: 'café 🚀' }];
    assert.deepEqual(sameGot.map((r) => r.data), expected);
    assert.deepEqual(otherGot.map((r) => r.data), expected);
    // No user_id on private channels.
    assert.deepEqual(framesOf(otherGateway, name, 'client-x').map((frame) => frame.user_id), [undefined, undefined]);
    assert.deepEqual(senderGot, []);
    assert.deepEqual(framesOf(sender, name), [], 'the sender must not get its own client events');
    assert.deepEqual(errorCodes(sender), []);

    // Any subscriber may send: one on the other gateway too.
    otherGateway.channel(name).trigger('client-y', { from: 'B' });
    await waitFor('the client event from gateway B at A', () => framesOf(sender, name, 'client-y').length === 1
      && framesOf(sameGateway, name, 'client-y').length === 1);
    await sleep(200);
    assert.deepEqual(framesOf(otherGateway, name, 'client-y'), []);
  } finally {
    disconnectAll(sender, sameGateway, otherGateway);
  }
});

test('a client event on a presence channel carries the sender\'s user id as metadata.user_id', { timeout: 30_000 }, async () => {
  const name = channelName('presence-chat');
  let sender, senderTab, numeric, onA, onB;
  try {
    sender = await connect(GATEWAY_A, authorizedBy(server, { user_id: 'sender-user', user_info: { name: 'S' } }));
    senderTab = await connect(GATEWAY_B, authorizedBy(server, { user_id: 'sender-user', user_info: { name: 'S' } }));
    numeric = await connect(GATEWAY_B, authorizedBy(server, { user_id: 7 }));
    onA = await connect(GATEWAY_A, authorizedBy(server, { user_id: 'receiver-a' }));
    onB = await connect(GATEWAY_B, authorizedBy(server, { user_id: 'receiver-b' }));
    const onSender = await subscribe(sender, name);
    const onNumeric = await subscribe(numeric, name);
    const gotA = recordEvent(await subscribe(onA, name), 'client-typing');
    const gotB = recordEvent(await subscribe(onB, name), 'client-typing');
    const senderGot = recordEvent(onSender, 'client-typing');
    // Another connection of the sending user is another subscriber: it gets the event.
    const tabGot = recordEvent(await subscribe(senderTab, name), 'client-typing');

    assert.equal(onSender.trigger('client-typing', { a: 1 }), true);
    await waitFor('the client event on both gateways', () => gotA.length >= 1 && gotB.length >= 1 && tabGot.length >= 1);
    assert.deepEqual(tabGot, [{ data: { a: 1 }, metadata: { user_id: 'sender-user' } }]);
    assert.deepEqual(gotA, [{ data: { a: 1 }, metadata: { user_id: 'sender-user' } }]);
    assert.deepEqual(gotB, [{ data: { a: 1 }, metadata: { user_id: 'sender-user' } }]);

    // A numeric user id is sent as a string.
    onNumeric.trigger('client-typing', { a: 2 });
    await waitFor('the numeric sender\'s event', () => gotA.length >= 2 && gotB.length >= 2 && senderGot.length >= 1);
    assert.deepEqual(gotB[1], { data: { a: 2 }, metadata: { user_id: '7' } });
    assert.deepEqual(senderGot, [{ data: { a: 2 }, metadata: { user_id: '7' } }]);

    // The user id is the server's: one the client puts in the frame is not trusted.
    sender.connection.connection.send(JSON.stringify({ event: 'client-typing', channel: name, data: { a: 3 }, user_id: 'admin' }));
    await waitFor('the spoofing attempt', () => gotA.length >= 3 && gotB.length >= 3);
    assert.deepEqual(gotA[2], { data: { a: 3 }, metadata: { user_id: 'sender-user' } });
    assert.deepEqual(gotB[2], { data: { a: 3 }, metadata: { user_id: 'sender-user' } });

    await roundTrip(sender);
    await sleep(200);
    assert.deepEqual(senderGot.length, 1, 'the sender must not get its own client events');
    assert.deepEqual(framesOf(numeric, name, 'client-typing').map((frame) => frame.user_id), ['sender-user', 'sender-user']);
  } finally {
    disconnectAll(sender, senderTab, numeric, onA, onB);
  }
});

test('more than 10 client events a second are refused with 4301; at most 10 get through and the connection stays', { timeout: 30_000 }, async () => {
  const name = channelName('private-burst');
  let sender, receiver;
  try {
    sender = await connect(GATEWAY_A, authorizedBy(server));
    receiver = await connect(GATEWAY_B, authorizedBy(server));
    const onSender = await subscribe(sender, name);
    const got = recordEvent(await subscribe(receiver, name), 'client-burst');

    // Sent in one go, well within one second.
    for (let seq = 0; seq < 15; seq++) {
      onSender.trigger('client-burst', { seq });
    }
    await waitFor('4301 errors for the events over the limit', () => errorCodes(sender).length >= 5);
    await waitFor('the accepted events at the receiver', () => got.length + errorCodes(sender).length >= 15);
    await roundTrip(sender);
    await sleep(300);
    for (const error of sender.errors) {
      // pusher-js 8 emits {type: 'PusherError', data: {code, message}} on the connection for a pusher:error frame.
      assert.equal(error.type, 'PusherError', JSON.stringify(error));
      assert.equal(error.data.code, 4301, JSON.stringify(error));
      assert.equal(typeof error.data.message, 'string');
    }
    const relayed = got.length;
    const refused = errorCodes(sender).length;
    assert.ok(relayed <= 10, `${relayed} of 15 client events got through in one second`);
    assert.equal(relayed + refused, 15, `every event is either relayed or refused (${relayed} relayed, errors ${JSON.stringify(sender.errors)})`);
    // The ones that got through are the first ones, in order.
    assert.deepEqual(got.map((r) => r.data.seq), [...Array(relayed).keys()]);
    // Refused, not disconnected.
    assert.equal(sender.connection.state, 'connected');

    // The next second allows more.
    await sleep(1100);
    onSender.trigger('client-burst', { seq: 'later' });
    await waitFor('a client event a second later', () => got.some((r) => r.data.seq === 'later'));
    assert.equal(errorCodes(sender).length, refused);
  } finally {
    disconnectAll(sender, receiver);
  }
});

test('the client event rate limit is per connection, over all its channels', { timeout: 30_000 }, async () => {
  const names = [channelName('private-rate-x'), channelName('presence-rate-y')];
  let sender, receiver, otherSender;
  try {
    sender = await connect(GATEWAY_A, authorizedBy(server, { user_id: 'fast' }));
    otherSender = await connect(GATEWAY_A, authorizedBy(server, { user_id: 'other' }));
    receiver = await connect(GATEWAY_B, authorizedBy(server, { user_id: 'reader' }));
    const got = [];
    for (const name of names) {
      await subscribe(sender, name);
      await subscribe(otherSender, name);
      const channel = await subscribe(receiver, name);
      channel.bind('client-rate', (data) => got.push(data));
    }
    // 7 on each channel from one connection, 7 from another connection: 14 from `sender`, over the limit by 4.
    for (let seq = 0; seq < 7; seq++) {
      sender.channel(names[0]).trigger('client-rate', { from: 'fast', seq });
      sender.channel(names[1]).trigger('client-rate', { from: 'fast', seq });
      otherSender.channel(names[0]).trigger('client-rate', { from: 'other', seq });
    }
    await waitFor('the refusals and deliveries', () => got.filter((data) => data.from === 'fast').length + errorCodes(sender).length >= 14
      && got.filter((data) => data.from === 'other').length >= 7);
    await roundTrip(sender);
    await roundTrip(otherSender);
    await sleep(300);
    const fast = got.filter((data) => data.from === 'fast').length;
    assert.ok(fast <= 10, `${fast} of 14 client events from one connection got through in one second`);
    assert.equal(fast + errorCodes(sender).length, 14, JSON.stringify(sender.errors));
    assert.ok(errorCodes(sender).every((code) => code === 4301), JSON.stringify(sender.errors));
    // The other connection's budget is its own.
    assert.equal(got.filter((data) => data.from === 'other').length, 7);
    assert.deepEqual(errorCodes(otherSender), []);
  } finally {
    disconnectAll(sender, receiver, otherSender);
  }
});

test('client events on a channel the sender is not subscribed to are refused with 4301 and not delivered', { timeout: 30_000 }, async () => {
  const name = channelName('private-outsider');
  let outsider, member;
  try {
    outsider = await connect(GATEWAY_A, authorizedBy(server));
    member = await connect(GATEWAY_B, authorizedBy(server));
    await subscribe(member, name);
    // pusher-js only sends client events through channel objects; send the frame it would send.
    outsider.send_event('client-x', { a: 1 }, name);
    await waitFor('a 4301 error', () => errorCodes(outsider).length >= 1);
    assert.deepEqual(errorCodes(outsider), [4301]);
    await server.trigger(name, 'marker', {});
    await waitFor('the marker', () => framesOf(member, name, 'marker').length === 1);
    await sleep(200);
    assert.deepEqual(framesOf(member, name).map((frame) => frame.event), ['marker']);
    assert.equal(outsider.connection.state, 'connected');
  } finally {
    disconnectAll(outsider, member);
  }
});

test('client events on a public channel are refused with 4301 and not delivered', { timeout: 30_000 }, async () => {
  const name = channelName('public-chat');
  let sender, sameGateway, otherGateway;
  try {
    sender = await connect(GATEWAY_A);
    sameGateway = await connect(GATEWAY_A);
    otherGateway = await connect(GATEWAY_B);
    const onSender = await subscribe(sender, name);
    await subscribe(sameGateway, name);
    await subscribe(otherGateway, name);

    // pusher-js sends it (it does not check the channel type); the server must refuse it.
    onSender.trigger('client-x', { a: 1 });
    await waitFor('a 4301 error', () => errorCodes(sender).length >= 1);
    assert.deepEqual(errorCodes(sender), [4301]);
    assert.equal(sender.connection.state, 'connected');

    // A server event afterwards: once it is in, the client event would have been too.
    await server.trigger(name, 'marker', {});
    await waitFor('the marker', () => framesOf(sameGateway, name, 'marker').length === 1 && framesOf(otherGateway, name, 'marker').length === 1);
    await sleep(200);
    assert.deepEqual(framesOf(sameGateway, name).map((frame) => frame.event), ['marker']);
    assert.deepEqual(framesOf(otherGateway, name).map((frame) => frame.event), ['marker']);
  } finally {
    disconnectAll(sender, sameGateway, otherGateway);
  }
});
