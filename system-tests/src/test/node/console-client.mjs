// A pusher-js 8 client for WebConsoleTest: it connects to HERALD_CLIENT_PORT, subscribes to the
// channels in HERALD_CHANNELS (comma-separated; presence channels as user HERALD_USER_ID; private
// and presence ones authorized with HERALD_AUTH_SECRET, by default the app's secret), sends
// `client-hello` ({"from": user}) on each private channel once subscribed, and reports on stdout,
// one line each:
//   connected <socket_id>              once pusher-js is connected
//   subscribed <channel>               once a subscription succeeded
//   refused <channel>                  a subscription the server refused
//   received <channel> <event> <data>  each event that arrives on a channel (data as JSON)
// It disconnects and exits when its stdin ends. Not a *.test.mjs file: `node --test` leaves it alone.

import { createInterface } from 'node:readline';

import { APP, authorizedBy, client, publisher } from './herald.mjs';

const port = Number(process.env.HERALD_CLIENT_PORT);
const channels = (process.env.HERALD_CHANNELS || '').split(',').filter((name) => name.length > 0);
const userId = process.env.HERALD_USER_ID || 'console-user';
const authSecret = process.env.HERALD_AUTH_SECRET || APP.secret;
if (!Number.isInteger(port) || port <= 0 || channels.length === 0) {
  throw new Error('HERALD_CLIENT_PORT and HERALD_CHANNELS are required');
}

const say = (line) => process.stdout.write(`${line}\n`);

const pusher = client(port, authorizedBy(publisher(port, { secret: authSecret }), { user_id: userId, user_info: { name: userId } }));
pusher.connection.bind('connected', () => say(`connected ${pusher.connection.socket_id}`));
for (const name of channels) {
  const channel = pusher.subscribe(name);
  channel.bind('pusher:subscription_succeeded', () => {
    say(`subscribed ${name}`);
    if (name.startsWith('private-')) {
      channel.trigger('client-hello', { from: userId });
    }
  });
  channel.bind('pusher:subscription_error', () => say(`refused ${name}`));
  channel.bind_global((event, data) => {
    if (!event.startsWith('pusher:') && !event.startsWith('pusher_internal:')) {
      say(`received ${name} ${event} ${JSON.stringify(data)}`);
    }
  });
}

createInterface({ input: process.stdin }).on('close', () => {
  pusher.disconnect();
  process.exit(0);
});
