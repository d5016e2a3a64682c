// Herald's web console: signs in with the app's credentials for a short-lived token, then follows
// the app over Server-Sent Events (`log` entries and a `state` each second) and draws it. Data
// from the cluster is only ever set as text, never parsed as HTML: event data is the app's users'.
'use strict';

const MAX_LOG_ROWS = 500;
const GRAPH_POINTS = 120;

const $ = (id) => document.getElementById(id);
let session = null; // {appId, token}
let events = null;
const graphs = { connections: [], deliveries: [] };
const lastCounts = new Map(); // gateway -> {at, deliveries}
const rates = new Map(); // gateway -> deliveries per second

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : String(text);
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function time(millis) {
  const at = new Date(Number(millis));
  return `${at.toLocaleTimeString(undefined, { hour12: false })}.${String(at.getMilliseconds()).padStart(3, '0')}`;
}

async function call(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  if (session) headers.Authorization = `Bearer ${session.token}`;
  if (options.body) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { ...options, headers });
  const body = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  return { status: response.status, body };
}

function showLogin(message) {
  if (events) events.close();
  events = null;
  session = null;
  sessionStorage.removeItem('herald-console');
  $('console').hidden = true;
  $('login').hidden = false;
  $('sign-out').hidden = true;
  $('status').textContent = 'signed out';
  $('login-error').textContent = message || '';
  // The next sign-in may be to another app: nothing of this one may stay on screen.
  $('log').tBodies[0].replaceChildren();
  $('connections').tBodies[0].replaceChildren();
  $('channels').tBodies[0].replaceChildren();
  graphs.connections.length = 0;
  graphs.deliveries.length = 0;
  lastCounts.clear();
  rates.clear();
}

async function signIn(event) {
  event.preventDefault();
  $('login-error').textContent = '';
  const { status, body } = await call('/console/api/session', {
    method: 'POST',
    body: JSON.stringify({ app_id: $('app-id').value.trim(), key: $('app-key').value.trim(), secret: $('app-secret').value }),
  });
  if (status !== 200) {
    showLogin(`Refused (${status}): ${body.error}`);
    return;
  }
  session = { appId: body.app_id, token: body.token };
  sessionStorage.setItem('herald-console', JSON.stringify(session));
  $('app-secret').value = '';
  follow();
}

function follow() {
  $('login').hidden = true;
  $('console').hidden = false;
  $('sign-out').hidden = false;
  $('status').textContent = `app ${session.appId}: connecting`;
  const url = `/console/api/apps/${encodeURIComponent(session.appId)}/stream?token=${encodeURIComponent(session.token)}`;
  events = new EventSource(url);
  events.onopen = () => { $('status').textContent = `app ${session.appId}: live`; };
  events.addEventListener('log', (message) => JSON.parse(message.data).entries.forEach(addLogRow));
  events.addEventListener('state', (message) => render(JSON.parse(message.data)));
  events.addEventListener('expired', (message) => showLogin(JSON.parse(message.data).error));
  events.onerror = async () => {
    if (!session) return;
    $('status').textContent = `app ${session.appId}: reconnecting`;
    // EventSource does not say why it failed: ask whether the token still holds.
    const { status, body } = await call(`/console/api/apps/${encodeURIComponent(session.appId)}/session`).catch(() => ({}));
    if (status === 401) showLogin(body.error);
  };
}

function matchesFilters(row) {
  const channel = $('filter-channel').value.trim();
  const event = $('filter-event').value.trim();
  return (!channel || (row.dataset.channel || '').includes(channel)) && (!event || (row.dataset.event || '').includes(event));
}

function addLogRow(entry) {
  const row = document.createElement('tr');
  row.className = entry.type;
  row.dataset.type = entry.type;
  row.dataset.channel = entry.channel || '';
  row.dataset.event = entry.event || '';
  row.dataset.socketId = entry.socket_id || '';
  cell(row, time(entry.at));
  cell(row, entry.type);
  cell(row, entry.channel);
  cell(row, entry.event);
  const detail = entry.data ?? entry.error ?? [entry.address, entry.code != null ? `code ${entry.code}` : null, entry.user_id]
    .filter((part) => part).join(' ');
  cell(row, detail, 'data');
  cell(row, entry.socket_id);
  cell(row, entry.gateway);
  row.hidden = !matchesFilters(row);
  const body = $('log').tBodies[0];
  body.insertBefore(row, body.firstChild);
  while (body.rows.length > MAX_LOG_ROWS) body.deleteRow(body.rows.length - 1);
}

function applyFilters() {
  for (const row of $('log').tBodies[0].rows) row.hidden = !matchesFilters(row);
}

function render(state) {
  $('gateway-count').textContent = state.gateways.length;
  const connections = $('connections').tBodies[0];
  connections.replaceChildren();
  let total = 0;
  for (const gateway of state.gateways) {
    total += gateway.count;
    const before = lastCounts.get(gateway.gateway);
    if (before && gateway.at > before.at) {
      rates.set(gateway.gateway, Math.max(0, (gateway.deliveries - before.deliveries) * 1000 / (gateway.at - before.at)));
    }
    if (!before || gateway.at > before.at) lastCounts.set(gateway.gateway, { at: gateway.at, deliveries: gateway.deliveries });
    for (const connection of gateway.connections) {
      const row = document.createElement('tr');
      row.dataset.socketId = connection.socket_id;
      cell(row, connection.socket_id);
      cell(row, connection.user);
      cell(row, connection.address);
      cell(row, connection.channels.join(', '));
      cell(row, new Date(connection.since).toLocaleString());
      cell(row, connection.gateway);
      connections.appendChild(row);
    }
  }
  const reporting = new Set(state.gateways.map((gateway) => gateway.gateway));
  for (const gateway of [...rates.keys()]) if (!reporting.has(gateway)) rates.delete(gateway);
  const rate = [...rates.values()].reduce((sum, value) => sum + value, 0);
  $('connection-total').textContent = total;
  $('delivery-rate').textContent = rate.toFixed(1);
  push(graphs.connections, total);
  push(graphs.deliveries, rate);
  draw($('connections-graph'), graphs.connections, '#1565c0');
  draw($('deliveries-graph'), graphs.deliveries, '#2e7d32');

  const channels = $('channels').tBodies[0];
  channels.replaceChildren();
  for (const channel of state.channels) {
    const row = document.createElement('tr');
    row.dataset.channel = channel.name;
    cell(row, channel.name);
    cell(row, channel.subscriptions);
    cell(row, (channel.members || []).join(', '));
    channels.appendChild(row);
  }
  $('more-channels').textContent = state.more_channels > 0 ? `(${state.more_channels} more not shown)` : '';
}

function push(series, value) {
  series.push(value);
  if (series.length > GRAPH_POINTS) series.shift();
}

function draw(canvas, series, color) {
  const context = canvas.getContext('2d');
  context.clearRect(0, 0, canvas.width, canvas.height);
  const top = Math.max(1, ...series);
  context.fillStyle = '#666';
  context.fillText(String(Math.round(top * 10) / 10), 4, 12);
  context.strokeStyle = color;
  context.lineWidth = 2;
  context.beginPath();
  series.forEach((value, i) => {
    const x = (i / (GRAPH_POINTS - 1)) * canvas.width;
    const y = canvas.height - 2 - (value / top) * (canvas.height - 16);
    if (i === 0) context.moveTo(x, y); else context.lineTo(x, y);
  });
  context.stroke();
}

async function publish(event) {
  event.preventDefault();
  $('publish-result').textContent = 'publishing...';
  const { status, body } = await call(`/console/api/apps/${encodeURIComponent(session.appId)}/events`, {
    method: 'POST',
    body: JSON.stringify({ channel: $('publish-channel').value.trim(), event: $('publish-event').value.trim(), data: $('publish-data').value }),
  });
  if (status === 401) {
    showLogin(body.error);
  } else {
    $('publish-result').textContent = status === 200 ? 'Published.' : `Refused (${status}): ${body.error}`;
  }
}

$('login-form').addEventListener('submit', signIn);
$('publish-form').addEventListener('submit', publish);
$('sign-out').addEventListener('click', () => showLogin(''));
$('filter-channel').addEventListener('input', applyFilters);
$('filter-event').addEventListener('input', applyFilters);

const kept = sessionStorage.getItem('herald-console');
if (kept) {
  session = JSON.parse(kept);
  follow();
}
