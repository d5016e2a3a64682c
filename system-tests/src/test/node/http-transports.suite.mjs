// pusher-js forced onto its HTTP fallback transports (enabledTransports: ['xhr_streaming'] or
// ['xhr_polling']), against gateway A, beside WebSocket clients on gateway B: subscriptions,
// REST publications, presence, client events both ways and refusals behave as over a WebSocket.
// Run by HttpTransportsTest (`node --test http-transports.suite.mjs`); the file name keeps it out
// of NodeClientsTest's `node --test`, which runs *.test.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import Client from 'pusher-js';

import {
  GATEWAY_A,
  GATEWAY_B,
  HOST,
  authorizedBy,
  channelName,
  connect,
  disconnectAll,
  errorCodes,
  framesOf,
  publisher,
  record,
  roundTrip,
  sleep,
  subscribe,
  waitFor,
} from './herald.mjs';

const server = publisher(GATEWAY_B);

/** Options that leave pusher-js one HTTP transport, to the gateway's HTTP port. */
function over(transport, port = GATEWAY_A) {
  return { httpHost: HOST, httpPort: port, enabledTransports: [transport] };
}

/** The transport pusher-js connected with. */
function transportOf(pusher) {
  return pusher.connection.connection.transport.name;
}

for (const transport of ['xhr_streaming', 'xhr_polling']) {
  test(`over ${transport} a subscriber receives a publication made through the other gateway`, { timeout: 30_000 }, async () => {
    const name = channelName(`http-${transport}`);
    let subscriber;
    try {
      subscriber = await connect(GATEWAY_A, over(transport));
      assert.equal(transportOf(subscriber), transport);
      assert.match(subscriber.connection.socket_id, /^\d+\.\d+$/);
      const events = record(await subscribe(subscriber, name));
      await server.trigger(name, 'greeting', { text: 'hello ünïcode 🚀', n: 1 });
      await server.trigger(name, 'greeting', { n: 2 });
      await waitFor('both publications', () => events.length === 2);
      assert.deepEqual(events, [
        { event: 'greeting', data: { text: 'hello ünïcode 🚀', n: 1 } },
        { event: 'greeting', data: { n: 2 } },
      ]);
      await roundTrip(subscriber);
    } finally {
      disconnectAll(subscriber);
    }
  });

  test(`over ${transport} a presence member sees the members on both gateways and one who joins later`, { timeout: 30_000 }, async () => {
    const name = channelName('presence-http');
    let early, member, late;
    try {
      early = await connect(GATEWAY_B, authorizedBy(server, { user_id: 'ws-early', user_info: { via: 'ws' } }));
      await subscribe(early, name);
      member = await connect(GATEWAY_A, { ...over(transport), ...authorizedBy(server, { user_id: 'http-member', user_info: { via: transport } }) });
      const channel = await subscribe(member, name);
      assert.deepEqual(Object.keys(channel.members.members).sort(), ['http-member', 'ws-early']);
      assert.deepEqual(channel.members.me, { id: 'http-member', info: { via: transport } });
      const added = [];
      channel.bind('pusher:member_added', (added_) => added.push(added_));
      late = await connect(GATEWAY_B, authorizedBy(server, { user_id: 'ws-late', user_info: { via: 'ws' } }));
      await subscribe(late, name);
      await waitFor('member_added for ws-late', () => added.length === 1);
      assert.deepEqual(added, [{ id: 'ws-late', info: { via: 'ws' } }]);
      assert.equal(channel.members.count, 3);
    } finally {
      disconnectAll(early, member, late);
    }
  });

  test(`over ${transport} client events travel both ways between it and a WebSocket client on the other gateway`, { timeout: 30_000 }, async () => {
    const name = channelName('private-http');
    let http, ws;
    try {
      http = await connect(GATEWAY_A, { ...over(transport), ...authorizedBy(server) });
      ws = await connect(GATEWAY_B, authorizedBy(server));
      const onHttp = await subscribe(http, name);
      const onWs = await subscribe(ws, name);
      const httpGot = [];
      const wsGot = [];
      onHttp.bind('client-note', (data) => httpGot.push(data));
      onWs.bind('client-note', (data) => wsGot.push(data));

      assert.equal(onHttp.trigger('client-note', { from: transport }), true);
      await waitFor('the HTTP client event at the WebSocket client', () => wsGot.length === 1);
      assert.equal(onWs.trigger('client-note', { from: 'ws' }), true);
      await waitFor('the WebSocket client event at the HTTP client', () => httpGot.length === 1);
      assert.deepEqual(wsGot, [{ from: transport }]);
      assert.deepEqual(httpGot, [{ from: 'ws' }]);
      assert.deepEqual(framesOf(http, name, 'client-note').length, 1, 'the sender must not get its own client event');
    } finally {
      disconnectAll(http, ws);
    }
  });

  test(`over ${transport} client events beyond 10 per second are refused with 4301 and the session stays`, { timeout: 30_000 }, async () => {
    const name = channelName('private-http-rate');
    let http;
    try {
      http = await connect(GATEWAY_A, { ...over(transport), ...authorizedBy(server) });
      const channel = await subscribe(http, name);
      for (let i = 0; i < 15; i++) {
        channel.trigger('client-burst', { i });
      }
      await waitFor('a 4301 refusal', () => errorCodes(http).includes(4301));
      await roundTrip(http);
      assert.equal(http.connection.state, 'connected');
    } finally {
      disconnectAll(http);
    }
  });

  test(`over ${transport} an unknown app key is refused with 4001 and pusher-js does not retry`, { timeout: 30_000 }, async () => {
    const refused = new Client('no-such-key', { cluster: 'local', forceTLS: false, disableStats: true, ...over(transport) });
    const errors = [];
    refused.connection.bind('error', (error) => errors.push(error));
    try {
      // As over a WebSocket: {type: 'WebSocketError', error: {type: 'PusherError', data: {code, message}}}, then disconnected.
      await waitFor('the 4001 refusal', () => errors.some((error) => error.error && error.error.data && error.error.data.code === 4001));
      await waitFor('the disconnected state', () => refused.connection.state === 'disconnected');
      await sleep(1500);
      assert.equal(refused.connection.state, 'disconnected', 'refused means no reconnection attempt');
    } finally {
      refused.disconnect();
    }
  });
}
