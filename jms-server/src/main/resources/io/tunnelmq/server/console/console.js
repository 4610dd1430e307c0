// TunnelMQ web console: plain JavaScript, no framework and no build step. Every figure comes from the broker's
// /console/api/ JSON; the page polls it every second and redraws without a reload. Text from the broker (queue
// names, message bodies) is only ever set as textContent, never as HTML.
'use strict';

const POLL_MILLIS = 1000;
const api = '/console/api/';

const state = {
  view: null,
  session: null,
  timer: null,
  problemsAt: 0,
};

const $ = (id) => document.getElementById(id);

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (className) e.className = className;
  return e;
}

async function getJson(what) {
  const response = await fetch(api + what, {credentials: 'same-origin', cache: 'no-store'});
  return answer(response);
}

async function post(what, fields) {
  const response = await fetch(api + what, {
    method: 'POST',
    credentials: 'same-origin',
    // the header a page of another site cannot send: the broker refuses actions without it
    headers: {'X-TunnelMQ-Console': '1', 'Content-Type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams(fields || {}).toString(),
  });
  return answer(response);
}

async function answer(response) {
  const body = await response.json().catch(() => ({error: 'the broker answered ' + response.status}));
  if (response.status === 401 && state.session && state.session.loginRequired) {
    state.session.loggedIn = false;
    route();
  }
  if (!response.ok) {
    const error = new Error(body.error || ('HTTP ' + response.status));
    error.status = response.status;
    throw error;
  }
  return body;
}

function status(message, ok) {
  const s = $('status');
  s.hidden = !message;
  s.textContent = message || '';
  s.className = ok ? 'status ok' : 'status';
}

// ---- formatting

function count(n) {
  return Number(n).toLocaleString('en-US');
}

function age(millis) {
  if (!millis) return '–';
  const s = Math.floor(millis / 1000);
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

function numberCell(value, hot) {
  const td = el('td', count(value));
  if (Number(value) === 0) td.className = 'zero';
  else if (hot) td.className = hot;
  return td;
}

// ---- views

const views = {
  login: {section: 'login-view', poll: null},
  queues: {section: 'queues-view', poll: pollQueues},
  queue: {section: 'queue-view', poll: pollQueue},
  connections: {section: 'connections-view', poll: pollConnections},
};

// rows are updated in place, not rebuilt: a link stays clickable (and hovered) across refreshes
async function pollQueues() {
  const answer = await getJson('queues');
  const rows = $('queue-rows');
  const seen = new Set();
  for (const q of answer.queues) {
    q.time = answer.time;
    seen.add(q.name);
    const samples = remember(q);
    const tr = queueRow(rows, q.name);
    const cells = tr.children;
    // a broker over a shared store says what the store holds of each queue: the column shows then
    const values = [q.held, q.stored, q.available, q.locked, q.scheduled, q.consumers, q.enqueued, q.completed,
      q.abandoned, q.deadLettered];
    const hot = [null, null, null, null, null, null, null, null, 'hot', 'bad'];
    values.forEach((v, i) => {
      cells[i + 1].textContent = v === undefined ? '' : count(v);
      cells[i + 1].className = (i === 1 ? 'stored-col ' : '') + (Number(v) === 0 ? 'zero' : (hot[i] || ''));
    });
    cells[11].textContent = age(q.oldestMillis);
    const last = samples[samples.length - 1];
    const canvas = cells[12].querySelector('canvas');
    cells[12].querySelector('.rate').textContent = samples.length > 1 ? formatRate(last.inRate) : '';
    canvas.title = 'enqueued ' + formatRate(last.inRate) + ', completed ' + formatRate(last.outRate);
    drawChart(canvas, samples, false);
    rows.append(tr); // in the answer's order (name order); moving a row keeps it the same element
  }
  for (const tr of [...rows.children]) {
    if (!seen.has(tr.dataset.queue)) tr.remove();
  }
  $('queue-table').classList.toggle('cluster', answer.queues.some(q => q.stored !== undefined));
  $('no-queues').hidden = answer.queues.length > 0;
  $('queues-updated').textContent = 'updated ' + new Date(answer.time).toLocaleTimeString();
}

function queueRow(rows, name) {
  for (const tr of rows.children) {
    if (tr.dataset.queue === name) return tr;
  }
  const tr = el('tr');
  tr.dataset.queue = name;
  const cell = el('td', null, 'name');
  const link = el('a', name);
  link.href = '#/queue/' + encodeURIComponent(name);
  cell.append(link);
  tr.append(cell);
  for (let i = 0; i < 11; i++) tr.append(el('td'));
  const chart = el('td', null, 'chart');
  const canvas = el('canvas', null, 'spark');
  canvas.width = 120;
  canvas.height = 26;
  chart.append(el('span', '', 'rate'), canvas);
  tr.append(chart);
  return tr;
}

function card(label, value) {
  const c = el('div', null, 'card');
  c.append(el('div', value, 'value'), el('div', label, 'label'));
  return c;
}

async function pollQueue() {
  const name = state.view.arg;
  const q = await getJson('queue?name=' + encodeURIComponent(name));
  $('queue-name').textContent = q.name;
  $('queue-cards').replaceChildren(
    card('held', count(q.held)), ...(q.stored === undefined ? [] : [card('in store', count(q.stored))]),
    card('available', count(q.available)), card('locked', count(q.locked)),
    card('scheduled', count(q.scheduled)), card('consumers', count(q.consumers)),
    card('enqueued', count(q.enqueued)), card('completed', count(q.completed)),
    card('abandoned', count(q.abandoned)), card('dead-lettered', count(q.deadLettered)),
    card('oldest waiting', age(q.oldestMillis)));
  drawChart($('queue-chart'), remember(q), true);
  $('purge').hidden = !q.admin;
  $('delete').hidden = !q.admin;
  $('replay').hidden = !q.admin || !q.deadLetterQueue;
  $('queue-readonly').hidden = q.admin;
  await showMessages(name);
}

async function showMessages(name) {
  const rows = $('message-rows');
  let answer;
  try {
    answer = await getJson('messages?queue=' + encodeURIComponent(name) + '&max=50');
  } catch (e) {
    rows.replaceChildren();
    $('messages-note').textContent = e.message;
    return;
  }
  rows.replaceChildren();
  for (const m of answer.messages) {
    const tr = el('tr');
    tr.dataset.message = m.id;
    const stateCell = el('td');
    const badge = el('span', m.state, 'badge ' + m.state);
    if (m.state === 'locked') {
      badge.textContent = 'locked by ' + (m.owner || '?') + ', ' + age(m.lockRemainingMillis) + ' left';
    }
    stateCell.append(badge);
    const props = Object.entries(m.properties || {}).map(([k, v]) => k + '=' + v).join(', ');
    tr.append(el('td', m.id, 'name'), stateCell, el('td', m.deliveryCount, 'num'), el('td', m.priority, 'num'),
      el('td', age(m.ageMillis), 'num'), el('td', props, 'props'), el('td', m.body, 'name'));
    rows.append(tr);
  }
  $('messages-note').textContent = answer.messages.length === 0 ? 'none waiting'
    : 'the first ' + answer.messages.length + (answer.more ? ' (more on the queue)' : '');
}

async function pollConnections() {
  const rows = $('connection-rows');
  let answer;
  try {
    answer = await getJson('connections');
  } catch (e) {
    rows.replaceChildren();
    $('connections-note').hidden = false;
    $('connections-note').textContent = e.message;
    return;
  }
  $('connections-note').hidden = answer.connections.length > 0;
  $('connections-note').textContent = 'No client is connected.';
  rows.replaceChildren();
  for (const c of answer.connections) {
    const tr = el('tr');
    tr.dataset.connection = c.id;
    const close = el('td');
    const button = el('button', 'Close', 'small danger');
    button.addEventListener('click', () => act('Close connection ' + c.id + ' (' + c.address + ')? Its locks are'
      + ' abandoned; the client sees the connection fail.', 'close', {id: c.id}, 'connection closed'));
    close.append(button);
    tr.append(el('td', c.id, 'name'), el('td', c.address), el('td', c.user || '–'), el('td', c.clientId || '–'),
      numberCell(c.sessions), numberCell(c.consumers), numberCell(c.bytesIn), numberCell(c.bytesOut), close);
    rows.append(tr);
  }
}

// ---- actions, each after a confirmation

function confirmAction(text) {
  const dialog = $('confirm');
  $('confirm-text').textContent = text;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), {once: true});
    dialog.returnValue = '';
    dialog.showModal();
  });
}

async function act(question, what, fields, done, after) {
  if (!await confirmAction(question)) return;
  try {
    const answer = await post(what, fields);
    if (after) after(); // a move to another view clears the status line: before it is set
    status(typeof done === 'function' ? done(answer) : done, true);
  } catch (e) {
    status(e.message, false);
  }
  tick();
}

$('purge').addEventListener('click', () => {
  const name = state.view.arg;
  act('Purge queue ' + name + '? Every waiting message is deleted; locked ones stay with their consumers.',
    'purge', {queue: name}, (a) => 'Purged ' + count(a.purged) + ' message(s) from ' + name);
});

$('delete').addEventListener('click', () => {
  const name = state.view.arg;
  act('Delete ' + name + '? It goes with its messages (a durable subscription is unsubscribed); refused while it has'
    + ' consumers.', 'delete', {queue: name}, 'Deleted ' + name, () => {
    location.hash = '#/';
    route(); // now, not on the hash change's event, which would clear the status line set next
  });
});

$('replay').addEventListener('click', () => {
  const name = state.view.arg;
  act('Replay the dead letters of ' + name + ' to the queues they came from? Their delivery counts start again.',
    'replay', {queue: name}, (a) => 'Replayed ' + count(a.replayed) + ' message(s) from ' + name);
});

// ---- login

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('login-error').hidden = true;
  $('login-submit').disabled = true;
  try {
    const answer = await post('login', {user: $('login-user').value, password: $('login-password').value});
    $('login-password').value = '';
    state.session = {loginRequired: true, loggedIn: true, user: answer.user};
    location.hash = '#/';
    route();
  } catch (e) {
    $('login-error').textContent = e.message;
    $('login-error').hidden = false;
  } finally {
    $('login-submit').disabled = false;
  }
});

$('logout').addEventListener('click', async () => {
  await post('logout').catch(() => null);
  state.session.loggedIn = false;
  route();
});

// ---- routing: #/, #/queue/NAME, #/connections

function parse() {
  const hash = location.hash.replace(/^#\/?/, '');
  if (hash.startsWith('queue/')) return {name: 'queue', arg: decodeURIComponent(hash.substring(6))};
  if (hash === 'connections') return {name: 'connections'};
  return {name: 'queues'};
}

function route() {
  const next = state.session && state.session.loginRequired && !state.session.loggedIn ? {name: 'login'} : parse();
  if (!state.view || state.view.name !== next.name || state.view.arg !== next.arg) status('');
  state.view = next;
  for (const [name, view] of Object.entries(views)) $(view.section).hidden = name !== next.name;
  if (next.name === 'login') {
    $('problems').hidden = true; // the next visitor is asked for again
    state.problemsAt = 0;
  }
  $('nav-queues').className = next.name === 'queues' || next.name === 'queue' ? 'active' : '';
  $('nav-connections').className = next.name === 'connections' ? 'active' : '';
  const user = state.session && state.session.loggedIn ? state.session.user : null;
  $('user').textContent = user ? 'Logged in as ' + user : '';
  $('logout').hidden = !user;
  tick();
}

// what an operator must fix (a file the broker refused, a certificate near its end): asked now and then, shown above
// every view; the broker tells only a visitor who administers every queue
const PROBLEMS_MILLIS = 5000;

async function pollProblems() {
  if (Date.now() - state.problemsAt < PROBLEMS_MILLIS) return;
  state.problemsAt = Date.now();
  const answer = await getJson('problems');
  const list = $('problems');
  list.replaceChildren(...answer.problems.map(p => el('li', p)));
  list.hidden = answer.problems.length === 0;
}

async function tick() {
  clearTimeout(state.timer);
  const view = views[state.view.name];
  if (!view.poll) return;
  const polled = state.view;
  try {
    await pollProblems();
    await view.poll();
    if (!$('status').classList.contains('ok') && $('status').textContent.startsWith('The broker')) status('');
  } catch (e) {
    if (e.status !== 401) status('The broker did not answer: ' + e.message, false);
  }
  if (state.view === polled) state.timer = setTimeout(tick, POLL_MILLIS);
}

window.addEventListener('hashchange', route);

getJson('session').then((session) => {
  state.session = session;
  route();
}).catch((e) => status('The broker did not answer: ' + e.message, false));
