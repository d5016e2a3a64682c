// One client per HTTP transport on the gateway HERALD_RECONNECT_PORT, for HttpTransportsTest:
// once both are connected and subscribed it writes the file HERALD_READY_FILE; the test then
// restarts that gateway (which drains its sessions with 4200). Exits 0 once both clients were told
// 4200, reconnected with new socket ids, resubscribed, and received a publication made after.

import { writeFileSync } from 'node:fs';

import { GATEWAY_A, HOST, channelName, connect, disconnectAll, publisher, record, subscribe, waitFor } from './herald.mjs';

const port = Number(process.env.HERALD_RECONNECT_PORT);
const server = publisher(GATEWAY_A);
const RECONNECT_MS = 60_000;

/** Remembers the close codes of every transport (HTTP session) the client goes through. */
function closeCodes(pusher) {
  const codes = [];
  const watch = () => pusher.connection.connection.transport.bind('closed', (event) => codes.push(event && event.code));
  pusher.connection.bind('connected', watch);
  watch();
  return codes;
}

const clients = [];
try {
  for (const transport of ['xhr_streaming', 'xhr_polling']) {
    const pusher = await connect(port, { httpHost: HOST, httpPort: port, enabledTransports: [transport] });
    const name = channelName(`reconnect-${transport}`);
    clients.push({ transport, pusher, name, firstId: pusher.connection.socket_id, codes: closeCodes(pusher),
      events: record(await subscribe(pusher, name)) });
  }
  writeFileSync(process.env.HERALD_READY_FILE, 'ready');
  for (const client of clients) {
    await waitFor(`${client.transport} told 4200`, () => client.codes.includes(4200), RECONNECT_MS);
    await waitFor(`${client.transport} connected again`, () => client.pusher.connection.state === 'connected'
      && client.pusher.connection.socket_id !== client.firstId, RECONNECT_MS);
    await waitFor(`${client.transport} subscribed again`, () => client.pusher.channel(client.name).subscribed, RECONNECT_MS);
  }
  for (const client of clients) {
    await server.trigger(client.name, 'after-restart', { transport: client.transport });
    await waitFor(`the publication after the restart over ${client.transport}`, () => client.events.length === 1);
    console.log(`${client.transport}: told ${client.codes.join(',')}, reconnected as ${client.pusher.connection.socket_id}`);
  }
} finally {
  disconnectAll(...clients.map((client) => client.pusher));
}
