'use strict';

// Adds Herald's history recovery (docs/protocol.md, "History and recovery") to an unmodified
// pusher-js 8 `Pusher` instance. pusher-js keeps only event, channel, data and user_id of a frame,
// so positions are read from the raw frames of each connection's TransportConnection, whose
// global listeners run before pusher-js decodes the frame. Subscriptions get their position
// through the instance's own `send_event`, which every pusher-js channel subscribes through.

const ATTACHED = Symbol.for('herald.pusher-js-recovery');
// pusher-js hands `pusher_internal:` events to no application handler, so a duplicate renamed to
// one is dropped by pusher-js itself.
const DUPLICATE = 'pusher_internal:herald_duplicate';
const SUCCEEDED = 'pusher_internal:subscription_succeeded';
const RECOVERY_FAILED = 'herald:recovery_failed';
// Cache channels answer every subscription with their last event, which must stay as it is.
const CACHE_CHANNEL = /^(private-encrypted-|private-|presence-)?cache-/;
const USER_CHANNEL = '#server-to-user-';
const OUTCOMES = ['recovered', 'recovery_failed'];
// What Herald accepts as herald_device in pusher:signin (docs/protocol.md, "Devices").
const DEVICE_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
// Herald stores acknowledgements in batches every 250 ms: acking more often only costs frames.
const ACK_INTERVAL_MS = 250;

function isPosition(value) {
  return value !== null && typeof value === 'object' && typeof value.epoch === 'string'
    && Number.isSafeInteger(value.offset) && value.offset >= 0;
}

function copy(position) {
  return { epoch: position.epoch, offset: position.offset };
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    return undefined;
  }
}

function deviceOf(options) {
  const device = options ? options.device : undefined;
  if (device !== undefined && (typeof device !== 'string' || !DEVICE_ID.test(device))) {
    throw new TypeError('device must be 1 to 128 characters of A-Za-z0-9_.:-');
  }
  return device;
}

/**
 * Tracks the last position seen on each channel of `pusher` and subscribes with it, so that
 * after a reconnection Herald sends every missed event before the live ones.
 *
 * options.storage: an object with getItem/setItem/removeItem (window.localStorage or
 * sessionStorage, say) that keeps positions across page loads; positions are kept in memory only
 * without it.
 * options.device: a stable id of this device (1 to 128 characters of A-Za-z0-9_.:-), sent with
 * the sign-in, so that Herald delivers what the user was sent while the device was away.
 * options.autoAck: with a device, acknowledge each event on the user's channel once the app's
 * handlers ran (default true); false leaves it to ack().
 *
 * Returns { position(channelName), ack(channelName, position), on(outcome, listener),
 * off(outcome, listener), detach() }.
 */
function withRecovery(pusher, options) {
  if (!pusher || typeof pusher.send_event !== 'function' || typeof pusher.unsubscribe !== 'function'
      || !pusher.connection || typeof pusher.connection.bind !== 'function') {
    throw new TypeError('withRecovery needs a pusher-js Pusher instance');
  }
  if (pusher[ATTACHED]) {
    throw new Error('withRecovery is already applied to this Pusher instance');
  }
  const storage = (options && options.storage) || null;
  const device = deviceOf(options);
  const autoAck = !(options && options.autoAck === false);
  const storageKeyPrefix = `herald:position:${pusher.key}:`;
  const positions = new Map();
  const listeners = new Map(OUTCOMES.map((outcome) => [outcome, []]));
  let hookedConnection = null;
  let hookedTransport = null;
  let dropNextFrame = false;
  // The latest position waiting to be acknowledged, as the herald:ack data, and the coalescing timer.
  let pendingAck = null;
  let ackTimer = null;
  let lastAckAt = -Infinity;

  function emit(outcome, channelName, position) {
    for (const listener of listeners.get(outcome).slice()) {
      try {
        listener(channelName, copy(position));
      } catch (error) {
        // A throwing listener must not stop pusher-js from handling the frame; the error still surfaces.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  function positionOf(channelName) {
    if (!positions.has(channelName) && storage) {
      const stored = parse(storage.getItem(storageKeyPrefix + channelName));
      if (isPosition(stored)) {
        positions.set(channelName, copy(stored));
      }
    }
    return positions.get(channelName);
  }

  function remember(channelName, position) {
    positions.set(channelName, copy(position));
    if (storage) {
      try {
        storage.setItem(storageKeyPrefix + channelName, JSON.stringify(copy(position)));
      } catch (e) {
        // A full or unavailable storage costs recovery across page loads, nothing else.
      }
    }
  }

  function forget(channelName) {
    positions.delete(channelName);
    if (storage) {
      try {
        storage.removeItem(storageKeyPrefix + channelName);
      } catch (e) {
        // as in remember
      }
    }
  }

  // Frames still arriving for a channel the app has unsubscribed from must not bring its position back.
  function isSubscribed(channelName) {
    return channelName.startsWith(USER_CHANNEL) || Boolean(pusher.channel(channelName));
  }

  // An ack is only valid on a connection signed in with the device, whose user channel it names:
  // pusher-js makes that channel after pusher:signin_success and marks it subscribed once Herald confirmed it.
  function canAck(channelName) {
    const channel = pusher.user && pusher.user.serverToUserChannel;
    return Boolean(channel && channel.name === channelName && channel.subscribed);
  }

  function sendAck() {
    ackTimer = null;
    if (!pendingAck || !canAck(pendingAck.channel)) {
      // Kept until the user channel is subscribed again after the next sign-in (onSubscribed).
      return;
    }
    if (sendEvent.call(pusher, 'herald:ack', pendingAck) !== false) {
      pendingAck = null;
      lastAckAt = Date.now();
    }
  }

  // Always through a timer, so a frame's ack goes out after pusher-js dispatched that frame to the app's handlers.
  function scheduleAck() {
    if (pendingAck && !ackTimer) {
      ackTimer = setTimeout(sendAck, Math.max(0, lastAckAt + ACK_INTERVAL_MS - Date.now()));
    }
  }

  function requestAck(channelName, position) {
    pendingAck = { channel: channelName, epoch: position.epoch, offset: position.offset };
    scheduleAck();
  }

  function autoAcked(channelName) {
    if (device && autoAck && channelName.startsWith(USER_CHANNEL)) {
      requestAck(channelName, positionOf(channelName));
    }
  }

  function onSubscribed(channelName, herald) {
    const known = positionOf(channelName);
    if (herald.recovered === false) {
      // herald:recovery_failed follows; live events go on from the current position.
      remember(channelName, herald);
    } else if (!known || known.epoch !== herald.epoch) {
      // Herald recovers a device's user channel from what the device acknowledged, which this
      // instance may not know: the events it did not acknowledge follow and set the position.
      if (!(device && channelName.startsWith(USER_CHANNEL))) {
        remember(channelName, herald);
      }
    } else {
      // The missed events up to herald.offset follow and move the position on one by one.
      emit('recovered', channelName, herald);
    }
    if (pendingAck && pendingAck.channel === channelName) {
      scheduleAck();
    }
  }

  function onRecoveryFailed(channelName, data) {
    const position = typeof data === 'string' ? parse(data) : data;
    if (isPosition(position)) {
      remember(channelName, position);
      emit('recovery_failed', channelName, position);
      // Acknowledged too: the device moves past what was lost.
      autoAcked(channelName);
    }
  }

  function onEvent(channelName, herald) {
    const known = positionOf(channelName);
    if (known && known.epoch === herald.epoch && herald.offset <= known.offset && !CACHE_CHANNEL.test(channelName)) {
      dropNextFrame = true;
    } else {
      remember(channelName, herald);
      autoAcked(channelName);
    }
  }

  // Runs for every raw frame, before pusher-js decodes it; most frames are skipped without parsing.
  function onRawFrame(name, message) {
    dropNextFrame = false;
    if (name !== 'message' || !message || typeof message.data !== 'string' || message.data.indexOf('herald') < 0) {
      return;
    }
    const frame = parse(message.data);
    if (!frame || typeof frame.channel !== 'string' || !isSubscribed(frame.channel)) {
      return;
    }
    if (frame.event === RECOVERY_FAILED) {
      onRecoveryFailed(frame.channel, frame.data);
    } else if (isPosition(frame.herald)) {
      if (frame.event === SUCCEEDED) {
        onSubscribed(frame.channel, frame.herald);
      } else {
        onEvent(frame.channel, frame.herald);
      }
    }
  }

  // Runs for the frame pusher-js just decoded from the raw frame onRawFrame saw, before any handler.
  function onDecodedFrame(name, event) {
    if (name === 'message' && dropNextFrame && event) {
      event.event = DUPLICATE;
    }
    dropNextFrame = false;
  }

  function unhook() {
    if (hookedTransport) {
      hookedTransport.unbind_global(onRawFrame);
    }
    if (hookedConnection) {
      hookedConnection.unbind_global(onDecodedFrame);
    }
    hookedConnection = null;
    hookedTransport = null;
    dropNextFrame = false;
  }

  // Each connection pusher-js opens has its own transport; the channels subscribe only once it is connected.
  function hook() {
    const connection = pusher.connection.connection;
    if (!connection || connection === hookedConnection || !connection.transport) {
      return;
    }
    unhook();
    hookedConnection = connection;
    hookedTransport = connection.transport;
    hookedTransport.bind_global(onRawFrame);
    hookedConnection.bind_global(onDecodedFrame);
  }

  const sendEvent = pusher.send_event;
  const unsubscribe = pusher.unsubscribe;
  const ownSendEvent = Object.prototype.hasOwnProperty.call(pusher, 'send_event');
  const ownUnsubscribe = Object.prototype.hasOwnProperty.call(pusher, 'unsubscribe');
  pusher.send_event = function sendEventWithRecovery(name, data, channel) {
    if (name === 'pusher:signin' && device && data) {
      return sendEvent.call(this, name, Object.assign({}, data, { herald_device: device }), channel);
    }
    if (name === 'pusher:subscribe' && data && typeof data.channel === 'string' && !CACHE_CHANNEL.test(data.channel)) {
      const known = positionOf(data.channel);
      return sendEvent.call(this, name, Object.assign({}, data, { herald_recover: known ? copy(known) : {} }), channel);
    }
    return sendEvent.call(this, name, data, channel);
  };
  pusher.unsubscribe = function unsubscribeForgettingPosition(channelName) {
    forget(channelName);
    return unsubscribe.call(this, channelName);
  };
  pusher.connection.bind('connected', hook);
  hook();
  pusher[ATTACHED] = true;

  return {
    /** The last position seen on the channel ({epoch, offset}), or null. */
    position(channelName) {
      const known = positionOf(channelName);
      return known ? copy(known) : null;
    },
    /**
     * Acknowledges the user channel `channelName` (#server-to-user-{id}) up to `position`, by
     * default the last position seen on it; needs the device option. Coalesced with the others:
     * at most one herald:ack goes out per 250 ms, for the latest position.
     */
    ack(channelName, position) {
      if (!device) {
        throw new Error('ack needs the device option of withRecovery');
      }
      if (typeof channelName !== 'string' || !channelName.startsWith(USER_CHANNEL)) {
        throw new TypeError(`ack takes the user's channel, ${USER_CHANNEL}{id}`);
      }
      const target = position === undefined ? positionOf(channelName) : position;
      if (!isPosition(target)) {
        throw new TypeError('ack needs a position {epoch, offset}: none is known on the channel yet, or the one given is not');
      }
      requestAck(channelName, target);
      return this;
    },
    /**
     * 'recovery_failed' (channelName, position): the events missed on the channel are gone; live
     * events go on after `position`, the app should reload what the channel shows.
     * 'recovered' (channelName, position): the missed events up to `position` follow.
     */
    on(outcome, listener) {
      if (!listeners.has(outcome) || typeof listener !== 'function') {
        throw new TypeError(`on(outcome, listener) takes one of ${OUTCOMES.join(', ')} and a function`);
      }
      listeners.get(outcome).push(listener);
      return this;
    },
    off(outcome, listener) {
      if (listeners.has(outcome)) {
        listeners.set(outcome, listeners.get(outcome).filter((candidate) => candidate !== listener));
      }
      return this;
    },
    /** Gives the Pusher instance back as it was; positions are no longer tracked or sent. */
    detach() {
      unhook();
      clearTimeout(ackTimer);
      ackTimer = null;
      pendingAck = null;
      pusher.connection.unbind('connected', hook);
      if (ownSendEvent) {
        pusher.send_event = sendEvent;
      } else {
        delete pusher.send_event;
      }
      if (ownUnsubscribe) {
        pusher.unsubscribe = unsubscribe;
      } else {
        delete pusher.unsubscribe;
      }
      delete pusher[ATTACHED];
    },
  };
}

module.exports = { withRecovery };
