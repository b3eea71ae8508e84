/*
 * metalboot dashboard: the one client script (docs/dashboard.md says why there is no framework).
 * Pages are rendered by the server; this script only follows /ui/stream (server-sent events) and
 * filters tables as you type. It never builds HTML from strings: text goes in with textContent,
 * and the only markup it inserts is a fragment the server rendered (the device page's history).
 */
/* global document, window, EventSource, Node */
'use strict';

(function main() {
  const body = document.body;
  const announcer = document.getElementById('live');
  const devices = document.getElementById('devices');
  const events = document.getElementById('events');
  const history = document.getElementById('history');
  const rows = new Map();
  if (devices) for (const row of devices.tBodies[0].rows) rows.set(row.dataset.device, row);

  function announce(text) {
    if (announcer) announcer.textContent = text;
  }

  function badge(phase, label) {
    const span = document.createElement('span');
    span.className = `badge phase-${phase}`;
    span.textContent = label;
    return span;
  }

  function shortTime(iso) {
    return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }

  /* Devices page: one message rewrites the two status cells of one row, nothing else. */
  function updateDevice(message) {
    const row = rows.get(message.device);
    const status = message.status;
    if (!row || !status || Number(row.dataset.event) >= status.eventId) return;
    row.dataset.event = String(status.eventId);
    if (row.dataset.phase === status.phase && message.kind !== 'script') return;
    row.dataset.phase = status.phase;
    const phaseCell = row.querySelector('td.phase');
    const sinceCell = row.querySelector('td.since');
    phaseCell.replaceChildren(badge(status.phase, status.phase));
    const time = document.createElement('time');
    time.dateTime = status.since;
    time.textContent = 'just now';
    sinceCell.replaceChildren(time);
    filterDevices(row);
    announce(`${message.device}: ${status.phase}`);
  }

  /* Events page: a new row on top, built from text. */
  function addEvent(message) {
    const tbody = events.tBodies[0];
    const row = document.createElement('tr');
    row.dataset.device = message.device;
    row.dataset.kind = message.kind;
    const cell = (content) => {
      const td = document.createElement('td');
      if (content instanceof Node) td.append(content);
      else td.textContent = content;
      row.append(td);
      return td;
    };
    cell(String(message.id));
    const time = document.createElement('time');
    time.dateTime = message.time;
    time.textContent = shortTime(message.time);
    cell(time);
    const link = document.createElement('a');
    link.href = `/ui/devices/${encodeURIComponent(message.device)}`;
    link.textContent = message.device;
    cell(link);
    cell(message.kind);
    cell(message.phase ? badge(message.phase, message.phase) : '');
    cell(message.detail).className = 'detail';
    tbody.prepend(row);
    while (tbody.rows.length > 500) tbody.lastElementChild.remove();
    filterEvents(row);
    announce(`${message.device}: ${message.kind}${message.phase ? ` (${message.phase})` : ''}`);
  }

  /* Device page: the server re-renders the boots and events; fetched at most every 250 ms. */
  let pending = false;
  function refreshHistory(message) {
    if (pending) return;
    pending = true;
    window.setTimeout(async () => {
      pending = false;
      const response = await fetch(history.dataset.fragment, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
      if (!response.ok) return;
      const template = document.createElement('template');
      template.innerHTML = await response.text();
      history.replaceChildren(template.content);
      announce(`${message.device}: ${message.phase ?? message.kind}`);
    }, 250);
  }

  function value(name) {
    const input = document.querySelector(`[data-filter="${name}"]`);
    return input ? input.value.trim().toLowerCase() : '';
  }

  function filterDevices(row) {
    const name = value('name');
    const image = value('image');
    const state = value('state');
    row.hidden = (name !== '' && !row.dataset.device.toLowerCase().includes(name)) ||
      (image !== '' && row.dataset.image.toLowerCase() !== image) ||
      (state !== '' && row.dataset.phase !== state);
  }

  function filterEvents(row) {
    const device = value('device');
    const kind = value('kind');
    row.hidden = (device !== '' && !row.dataset.device.toLowerCase().includes(device)) || (kind !== '' && row.dataset.kind !== kind);
  }

  function filterAll() {
    if (devices) {
      let shown = 0;
      for (const row of rows.values()) {
        filterDevices(row);
        if (!row.hidden) shown++;
      }
      const count = document.getElementById('device-count');
      if (count) count.textContent = String(shown);
    }
    if (events) for (const row of events.tBodies[0].rows) filterEvents(row);
  }

  for (const input of document.querySelectorAll('[data-filter]')) input.addEventListener('input', filterAll);

  if (body.dataset.live === undefined) return;
  const device = body.dataset.live === '*' ? '' : body.dataset.live;
  const source = new EventSource(`/ui/stream${device ? `?device=${encodeURIComponent(device)}` : ''}`);
  source.addEventListener('boot', (event) => {
    const message = JSON.parse(event.data);
    if (devices) updateDevice(message);
    if (events) addEvent(message);
    if (history) refreshHistory(message);
  });
  source.addEventListener('open', () => body.setAttribute('data-stream', 'open'));
})();
