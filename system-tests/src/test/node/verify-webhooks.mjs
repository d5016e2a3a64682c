// Checks webhook requests that a test's receiver recorded, as an app's receiver would, with the
// official pusher SDK: pusher.webhook({headers, rawBody}).isValid(). Run by WebhooksTest:
//   node verify-webhooks.mjs requests.json
// where requests.json is [{"headers": {lower-case name: value}, "body": raw body}]. Prints each
// request's events as the SDK reads them, and exits 1 if any request is not valid.

import { readFileSync } from 'node:fs';
import Server from 'pusher';

const server = new Server({
  appId: process.env.HERALD_APP_ID || '1',
  key: process.env.HERALD_APP_KEY || 'herald-key',
  secret: process.env.HERALD_APP_SECRET || 'herald-secret',
});
const requests = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let invalid = 0;
for (const request of requests) {
  const webhook = server.webhook({ headers: request.headers, rawBody: request.body });
  if (webhook.isValid()) {
    console.log(`valid ${JSON.stringify(webhook.getEvents())}`);
  } else {
    invalid++;
    console.log(`INVALID ${JSON.stringify(request)}`);
  }
}
console.log(`${requests.length - invalid} valid, ${invalid} invalid`);
process.exit(invalid === 0 && requests.length > 0 ? 0 : 1);
