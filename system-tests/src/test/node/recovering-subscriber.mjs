// A pusher-js 8 client with clients/pusher-js-recovery, driven by RecoveryThroughFaultsTest: it
// connects to HERALD_CLIENT_PORT (the test's proxy in front of the gateways), subscribes to the
// channels in HERALD_CHANNELS (comma-separated) and reports on stdout, one line each:
//   connected <socket_id>          each time pusher-js is connected (again)
//   subscribed <channel>           each time a (re)subscription succeeds
//   recovered <channel> <offset>   a resubscription that Herald answers with the missed events
//   recovery_failed <channel>      a resubscription that could not be recovered
//   tick <channel> <seq>           each `tick` event the app's handler gets
// It disconnects and exits when its stdin ends. Not a *.test.mjs file: `node --test` leaves it alone.

import { createInterface } from 'node:readline';

import { withRecovery } from '../../../../clients/pusher-js-recovery/index.mjs';
import { client } from './herald.mjs';

const port = Number(process.env.HERALD_CLIENT_PORT);
const channels = (process.env.HERALD_CHANNELS || '').split(',').filter((name) => name.length > 0);
if (!Number.isInteger(port) || port <= 0 || channels.length === 0) {
  throw new Error('HERALD_CLIENT_PORT and HERALD_CHANNELS are required');
}

const say = (line) => process.stdout.write(`${line}\n`);

const pusher = client(port);
const recovery = withRecovery(pusher);
recovery.on('recovered', (channel, position) => say(`recovered ${channel} ${position.offset}`));
recovery.on('recovery_failed', (channel) => say(`recovery_failed ${channel}`));
pusher.connection.bind('connected', () => say(`connected ${pusher.connection.socket_id}`));
for (const name of channels) {
  const channel = pusher.subscribe(name);
  channel.bind('pusher:subscription_succeeded', () => say(`subscribed ${name}`));
  channel.bind('tick', (data) => say(`tick ${name} ${data.seq}`));
}

createInterface({ input: process.stdin }).on('close', () => {
  pusher.disconnect();
  process.exit(0);
});
