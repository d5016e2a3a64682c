// Shared helpers for the node:test conformance suite: the cluster's coordinates, the official
// clients pointed at it, and bounded waits. Every wait here ends by itself, so a test that goes
// wrong fails instead of hanging.
//
// The cluster comes from the environment, which NodeClientsTest sets:
//   HERALD_WS_PORTS    comma-separated gateway ports (WebSocket and REST share a port), at least 2
//   HERALD_HOST        default 127.0.0.1
//   HERALD_APP_ID, HERALD_APP_KEY, HERALD_APP_SECRET
// The defaults match `./herald local --gateways 2`, so `npm test` also runs against that.

import { randomBytes } from 'node:crypto';
import Client from 'pusher-js';
import Server from 'pusher';

export const HOST = process.env.HERALD_HOST || '127.0.0.1';
export const PORTS = (process.env.HERALD_WS_PORTS || '6001,6002')
  .split(',')
  .map((port) => Number(port.trim()))
  .filter((port) => Number.isInteger(port) && port > 0);
export const APP = {
  id: process.env.HERALD_APP_ID || '1',
  key: process.env.HERALD_APP_KEY || 'herald-key',
  secret: process.env.HERALD_APP_SECRET || 'herald-secret',
};

if (PORTS.length < 2) {
  throw new Error(`HERALD_WS_PORTS must name at least two gateway ports, was '${process.env.HERALD_WS_PORTS}'`);
}

/** Gateway A holds the subscribers, gateway B takes the publications: every delivery crosses the cluster. */
export const GATEWAY_A = PORTS[0];
export const GATEWAY_B = PORTS[1];

/** How long any single wait may take. */
export const TIMEOUT_MS = 10_000;

/** A channel name no other test (or earlier run against the same cluster) uses. */
export function channelName(prefix) {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** A pusher-js client for a gateway; like every pusher-js client it starts connecting at once. */
export function client(port, { key = APP.key, ...options } = {}) {
  return new Client(key, {
    cluster: 'local',
    wsHost: HOST,
    wsPort: port,
    forceTLS: false,
    enabledTransports: ['ws'],
    disableStats: true,
    ...options,
  });
}

/** The pusher server SDK publishing through a gateway. */
export function publisher(port, { secret = APP.secret, key = APP.key, ...options } = {}) {
  return new Server({
    appId: APP.id,
    key,
    secret,
    host: HOST,
    port: String(port),
    useTLS: false,
    timeout: TIMEOUT_MS,
    ...options,
  });
}

/**
 * pusher-js options that authorize private, encrypted and presence channels the way an app's auth
 * endpoint does, with the server SDK's authorizeChannel (which adds shared_secret for
 * private-encrypted- channels). `member` ({user_id, user_info}) is the channel_data of presence channels.
 */
export function authorizedBy(server, member) {
  return {
    channelAuthorization: {
      customHandler: ({ socketId, channelName }, callback) => {
        let authorization;
        try {
          authorization = server.authorizeChannel(socketId, channelName, channelName.startsWith('presence-') ? member : undefined);
        } catch (e) {
          callback(e, null);
          return;
        }
        callback(null, authorization);
      },
    },
  };
}

/**
 * Resolves with the value `probe` returns once it is truthy, checking every 20 ms; rejects after
 * `ms` with `what` in the message.
 */
export function waitFor(what, probe, ms = TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      let value;
      try {
        value = probe();
      } catch (e) {
        clearInterval(timer);
        reject(e);
        return;
      }
      if (value) {
        clearInterval(timer);
        resolve(value);
      } else if (Date.now() - started > ms) {
        clearInterval(timer);
        reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
      }
    };
    const timer = setInterval(check, 20);
    check();
  });
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Connects a client to a gateway and resolves once it is connected. Also records every frame the
 * connection receives, in `client.frames`, before pusher-js dispatches it to channels: that shows
 * what the server sent even on channels the client no longer listens to. Errors pusher-js emits on
 * the connection ('error': {type: 'PusherError', data: {code, message}} for a pusher:error frame)
 * are kept in `client.errors`, and the WebSocket objects it connected through in `client.sockets`
 * (see disconnectAll).
 */
export async function connect(port, options) {
  const pusher = client(port, options);
  pusher.frames = [];
  pusher.connection.bind('message', (message) => pusher.frames.push(message));
  pusher.errors = [];
  pusher.connection.bind('error', (error) => pusher.errors.push(error));
  pusher.sockets = [];
  const keepSocket = () => {
    const socket = pusher.connection.connection?.transport?.socket;
    if (socket && !pusher.sockets.includes(socket)) {
      pusher.sockets.push(socket);
    }
  };
  pusher.connection.bind('connected', keepSocket);
  await waitFor(`a connection to gateway ${port}`, () => pusher.connection.state === 'connected').catch((e) => {
    pusher.disconnect();
    throw e;
  });
  return pusher;
}

/** Subscribes and resolves with the channel once the server confirmed the subscription. */
export function subscribe(pusher, name) {
  const channel = pusher.subscribe(name);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`subscription to ${name} not confirmed within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    channel.bind('pusher:subscription_succeeded', () => {
      clearTimeout(timer);
      resolve(channel);
    });
    channel.bind('pusher:subscription_error', (error) => {
      clearTimeout(timer);
      reject(new Error(`subscription to ${name} failed: ${JSON.stringify(error)}`));
    });
  });
}

/**
 * Subscribes expecting the server to refuse: resolves with the data of the channel's
 * pusher:subscription_error, rejects if the subscription succeeds or nothing comes in time.
 */
export function subscribeRefused(pusher, name) {
  const channel = pusher.subscribe(name);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no subscription_error for ${name} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    channel.bind('pusher:subscription_succeeded', () => {
      clearTimeout(timer);
      reject(new Error(`subscription to ${name} succeeded, but should have been refused`));
    });
    channel.bind('pusher:subscription_error', (error) => {
      clearTimeout(timer);
      resolve(error);
    });
  });
}

/**
 * Calls the async `query` every 50 ms until `accept` holds for its result, and resolves with that
 * result; after `ms` rejects, showing the last result. For cluster state that settles shortly after
 * the change that caused it (subscription counts, presence members, occupancy).
 */
export async function eventually(what, query, accept, ms = TIMEOUT_MS) {
  const started = Date.now();
  let last;
  for (;;) {
    last = await query();
    if (accept(last)) {
      return last;
    }
    if (Date.now() - started > ms) {
      throw new Error(`timed out after ${ms} ms waiting for ${what}; last saw ${JSON.stringify(last)}`);
    }
    await sleep(50);
  }
}

/** The pusher:error codes a connection received, as pusher-js reported them. */
export function errorCodes(pusher) {
  return pusher.errors.filter((error) => error.type === 'PusherError').map((error) => error.data && error.data.code);
}

/** Collects every event (not pusher: internals) a channel object dispatches, in order. */
export function record(channel) {
  const events = [];
  channel.bind_global((event, data) => {
    if (!event.startsWith('pusher:') && !event.startsWith('pusher_internal:')) {
      events.push({ event, data });
    }
  });
  return events;
}

/** Frames the connection received for one channel: of one event name, or every non-internal one. */
export function framesOf(pusher, channel, event) {
  return pusher.frames.filter((frame) => frame.channel === channel && (event === undefined
    ? !frame.event.startsWith('pusher:') && !frame.event.startsWith('pusher_internal:')
    : frame.event === event));
}

/**
 * Resolves once the gateway has handled everything this connection sent before: frames of one
 * connection are handled in order, so the pong to a ping sent now comes after them.
 */
export async function roundTrip(pusher) {
  const pongsBefore = pusher.frames.filter((frame) => frame.event === 'pusher:pong').length;
  pusher.connection.send_event('pusher:ping', {});
  await waitFor('pusher:pong', () => pusher.frames.filter((frame) => frame.event === 'pusher:pong').length > pongsBefore);
}

/**
 * Disconnects every client given, ignoring the ones that never got made.
 *
 * It also clears a timer pusher-js 8.6.0 leaves behind when the server closed the connection with a
 * code of 4000-4099 (its 'refused' action, e.g. 4009 after terminate_connections): while handling
 * the close it closes its faye-websocket socket a second time, which arms that socket's 30 s
 * close timeout although the socket is already closed. The timer would do nothing when it fires
 * (the socket is closed), but it keeps node running for 30 s after the test. Only sockets that are
 * already closed (readyState 3) are touched; the sockets are those connect() recorded.
 */
export function disconnectAll(...clients) {
  for (const pusher of clients) {
    if (pusher) {
      pusher.disconnect();
      for (const socket of pusher.sockets || []) {
        if (socket.readyState === 3 && socket._closeTimer) {
          clearTimeout(socket._closeTimer);
          socket._closeTimer = null;
        }
      }
    }
  }
}

/**
 * pusher-js options that authenticate the user the way an app's user-authentication endpoint does,
 * with the server SDK's authenticateUser over `user` ({id, user_info, ...}). Combine with
 * authorizedBy by spreading both.
 */
export function authenticatedBy(server, user) {
  return {
    userAuthentication: {
      customHandler: ({ socketId }, callback) => {
        let authentication;
        try {
          authentication = server.authenticateUser(socketId, user);
        } catch (e) {
          callback(e, null);
          return;
        }
        callback(null, authentication);
      },
    },
  };
}

/**
 * Signs a connected client in (pusher-js `signin()`) and resolves once the server answered
 * pusher:signin_success (pusher-js then holds `user.user_data`) and confirmed the
 * `#server-to-user-{id}` subscription pusher-js makes after it, so that sendToUser reaches it.
 */
export async function signIn(pusher) {
  pusher.signin();
  await waitFor('pusher:signin_success', () => pusher.user.user_data !== null);
  await waitFor('the #server-to-user- subscription',
    () => pusher.user.serverToUserChannel !== null && pusher.user.serverToUserChannel.subscribed);
  return pusher.user.user_data;
}

/** Collects every event (not pusher: internals) sent to the signed-in user, as pusher-js dispatches them on `user`. */
export function recordUser(pusher) {
  const events = [];
  pusher.user.bind_global((event, data) => {
    if (!event.startsWith('pusher:') && !event.startsWith('pusher_internal:')) {
      events.push({ event, data });
    }
  });
  return events;
}
