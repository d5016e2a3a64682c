// Subscription counting (Pusher's per-app "subscription counting"): subscribers of a non-presence
// channel hear pusher_internal:subscription_count, which pusher-js surfaces as the channel event
// 'pusher:subscription_count' and keeps in channel.subscriptionCount. The count is cluster-wide:
// subscribers sit on both gateways. The app that counts comes from HERALD_COUNTING_APP_* (set by
// NodeClientsTest); against a cluster without such an app these tests are skipped.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  GATEWAY_A,
  GATEWAY_B,
  authorizedBy,
  channelName,
  connect,
  disconnectAll,
  publisher,
  subscribe,
  waitFor,
} from './herald.mjs';

const COUNTING = {
  id: process.env.HERALD_COUNTING_APP_ID,
  key: process.env.HERALD_COUNTING_APP_KEY,
  secret: process.env.HERALD_COUNTING_APP_SECRET,
};
const skip = COUNTING.key ? false : 'no app with subscription counting (HERALD_COUNTING_APP_KEY) in this cluster';

/** Subscribes, recording every count the channel hears from the start, and resolves once confirmed. */
async function subscribeCounting(pusher, name) {
  const counts = [];
  const channel = pusher.subscribe(name);
  channel.bind('pusher:subscription_count', (data) => counts.push(data.subscription_count));
  await subscribe(pusher, name);
  return { channel, counts };
}

test('subscribers on both gateways hear the cluster-wide count as connections come and go', { skip }, async () => {
  const name = channelName('counted');
  const first = await connect(GATEWAY_A, { key: COUNTING.key });
  const second = await connect(GATEWAY_B, { key: COUNTING.key });
  const third = await connect(GATEWAY_B, { key: COUNTING.key });
  try {
    const a = await subscribeCounting(first, name);
    await waitFor('the first subscriber to hear 1', () => a.counts.at(-1) === 1);
    const b = await subscribeCounting(second, name);
    await waitFor('both to hear 2', () => a.counts.at(-1) === 2 && b.counts.at(-1) === 2);
    const c = await subscribeCounting(third, name);
    await waitFor('all three to hear 3', () => [a, b, c].every((s) => s.counts.at(-1) === 3));
    assert.equal(c.channel.subscriptionCount, 3, 'pusher-js keeps the last count on the channel');

    third.unsubscribe(name);
    await waitFor('the others to hear 2 after an unsubscribe', () => a.counts.at(-1) === 2 && b.counts.at(-1) === 2);
    disconnectAll(second);
    await waitFor('the first to hear 1 after a disconnect on the other gateway', () => a.counts.at(-1) === 1);
    assert.ok(a.counts.every((count) => Number.isInteger(count) && count >= 1 && count <= 3), JSON.stringify(a.counts));
  } finally {
    disconnectAll(first, second, third);
  }
});

test('presence channels count members, not subscriptions, so they hear no subscription count', { skip }, async () => {
  const server = publisher(GATEWAY_B, { key: COUNTING.key, secret: COUNTING.secret, appId: COUNTING.id });
  const name = `presence-${channelName('room')}`;
  const plain = channelName('beside');
  const ann = await connect(GATEWAY_A, { key: COUNTING.key, ...authorizedBy(server, { user_id: 'ann' }) });
  const bob = await connect(GATEWAY_B, { key: COUNTING.key, ...authorizedBy(server, { user_id: 'bob' }) });
  try {
    await subscribe(ann, name);
    await subscribe(bob, name);
    // A plain channel subscribed after the presence one, by the same connections: once its count
    // of 2 arrived, a presence count would have arrived before it on the same connection.
    const annPlain = await subscribeCounting(ann, plain);
    await subscribeCounting(bob, plain);
    await waitFor('the plain channel count of 2', () => annPlain.counts.at(-1) === 2);
    const presenceCounts = ann.frames.filter((frame) => frame.channel === name && frame.event === 'pusher_internal:subscription_count');
    assert.deepEqual(presenceCounts, []);
  } finally {
    disconnectAll(ann, bob);
  }
});
