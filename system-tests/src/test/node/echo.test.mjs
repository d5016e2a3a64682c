// Laravel Echo, the Laravel front end's listener, on top of pusher-js: it must hear public,
// private and presence events exactly as from Pusher, with Herald's extra frame fields ignored.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import Echo from 'laravel-echo';

import { GATEWAY_A, GATEWAY_B, authorizedBy, channelName, connect, publisher, waitFor } from './herald.mjs';

test('Laravel Echo hears public, private and presence events and members as from Pusher', { timeout: 30_000 }, async () => {
  const server = publisher(GATEWAY_B);
  const pusher = await connect(GATEWAY_A, authorizedBy(server, { user_id: 'ann', user_info: { name: 'Ann' } }));
  const echo = new Echo({ broadcaster: 'pusher', client: pusher });
  try {
    const [orders, account, room] = [channelName('orders'), channelName('account'), channelName('room')];
    const heard = [];
    let members;
    echo.channel(orders).listen('.order.created', (event) => heard.push(['public', event]));
    echo.private(account).listen('.order.shipped', (event) => heard.push(['private', event]));
    echo.join(room).here((users) => { members = users; }).listen('.said', (event) => heard.push(['presence', event]));
    await waitFor('Echo subscribed to its three channels', () => [orders, `private-${account}`, `presence-${room}`]
      .every((name) => pusher.channel(name)?.subscribed) && members);
    assert.deepEqual(members, [{ name: 'Ann' }]);

    assert.equal((await server.trigger(orders, 'order.created', { id: 1 })).status, 200);
    assert.equal((await server.trigger(`private-${account}`, 'order.shipped', { id: 2 })).status, 200);
    assert.equal((await server.trigger(`presence-${room}`, 'said', { text: 'hi' })).status, 200);

    await waitFor('the three events', () => heard.length === 3);
    assert.deepEqual(heard.sort(), [['presence', { text: 'hi' }], ['private', { id: 2 }], ['public', { id: 1 }]]);
  } finally {
    echo.disconnect();
  }
});
