// The playground's chat page: shows the conversation kept by the Telegram emulator and plays
// the user through its control API (proxied same-origin under /tg/). Bot text is rendered from
// its plain text and Telegram entities with DOM text nodes only, never innerHTML.
'use strict';

const state = { config: null, lastJson: '', waitingSince: 0, pressing: new Set() };
const $ = (id) => document.getElementById(id);

async function api(method, path, body) {
  const response = await fetch(`/tg/_control/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `${response.status} ${response.statusText}`);
  return data;
}

function safeUrl(url) {
  try {
    const parsed = new URL(url);
    return ['http:', 'https:', 'mailto:', 'tg:'].includes(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}

function elementFor(entity, text) {
  const inner = text.slice(entity.offset, entity.offset + entity.length);
  switch (entity.type) {
    case 'bold': return document.createElement('b');
    case 'italic': return document.createElement('i');
    case 'underline': return document.createElement('u');
    case 'strikethrough': return document.createElement('s');
    case 'code': return document.createElement('code');
    case 'pre': return document.createElement('pre');
    case 'blockquote':
    case 'expandable_blockquote': return document.createElement('blockquote');
    case 'spoiler': {
      const span = document.createElement('span');
      span.className = 'spoiler';
      span.addEventListener('click', () => span.classList.add('shown'));
      return span;
    }
    case 'text_link':
    case 'url': {
      const href = safeUrl(entity.type === 'url' ? (/^[a-z]+:/i.test(inner) ? inner : `http://${inner}`) : entity.url);
      if (!href) return document.createElement('span');
      const a = document.createElement('a');
      a.href = href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      return a;
    }
    default: return document.createElement('span');
  }
}

/** Appends text[start,end) to parent, wrapping entity ranges (properly nested, UTF-16 offsets). */
function renderRange(parent, text, entities, start, end) {
  const inside = entities
    .filter((e) => e.offset >= start && e.offset + e.length <= end && e.length > 0)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  let pos = start;
  for (const entity of inside) {
    if (entity.offset < pos) continue; // nested in one already rendered
    if (entity.offset > pos) parent.appendChild(document.createTextNode(text.slice(pos, entity.offset)));
    const element = elementFor(entity, text);
    const rest = inside.filter((e) => e !== entity);
    renderRange(element, text, rest, entity.offset, entity.offset + entity.length);
    parent.appendChild(element);
    pos = entity.offset + entity.length;
  }
  if (pos < end) parent.appendChild(document.createTextNode(text.slice(pos, end)));
}

function time(seconds) {
  return new Date(seconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function renderMessage(entry) {
  const wrapper = document.createElement('div');
  wrapper.className = `msg ${entry.sender}`;
  wrapper.dataset.messageId = String(entry.message_id);
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  if (entry.kind !== 'text') {
    const media = document.createElement('span');
    media.className = 'media';
    media.textContent = `[${entry.kind}]${entry.text ? ' ' : ''}`;
    bubble.appendChild(media);
  }
  const text = entry.text || '';
  const body = document.createElement('span');
  body.className = 'text';
  renderRange(body, text, entry.entities || [], 0, text.length);
  bubble.appendChild(body);
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = `${entry.edit_date ? 'edited ' : ''}${time(entry.edit_date || entry.date)}`;
  bubble.appendChild(meta);
  wrapper.appendChild(bubble);

  const rows = (entry.reply_markup && entry.reply_markup.inline_keyboard) || [];
  if (entry.sender === 'bot' && rows.length > 0) {
    const keyboard = document.createElement('div');
    keyboard.className = 'keyboard';
    for (const row of rows) {
      const rowElement = document.createElement('div');
      rowElement.className = 'row';
      for (const button of row) {
        let control;
        if (button.callback_data !== undefined) {
          control = document.createElement('button');
          control.type = 'button';
          control.dataset.callbackData = button.callback_data;
          const key = `${entry.message_id}/${button.callback_data}`;
          control.disabled = state.pressing.has(key);
          control.addEventListener('click', () => press(entry.message_id, button.callback_data, key));
        } else if (button.url && safeUrl(button.url)) {
          control = document.createElement('a');
          control.className = 'button';
          control.href = safeUrl(button.url);
          control.target = '_blank';
          control.rel = 'noopener noreferrer';
        } else {
          control = document.createElement('button');
          control.type = 'button';
          control.disabled = true;
        }
        control.textContent = button.text;
        rowElement.appendChild(control);
      }
      keyboard.appendChild(rowElement);
    }
    wrapper.appendChild(keyboard);
  }
  return wrapper;
}

function render(messages) {
  const scroller = $('scroller');
  const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  const container = $('messages');
  container.replaceChildren();
  const visible = messages.filter((m) => !m.deleted);
  if (visible.length === 0) {
    const empty = document.createElement('div');
    empty.className = 'empty';
    empty.textContent = 'Say what you need to do, e.g. “buy milk tomorrow”.';
    container.appendChild(empty);
  }
  for (const entry of visible) container.appendChild(renderMessage(entry));
  if (atBottom) scroller.scrollTop = scroller.scrollHeight;
}

function updateTyping(messages) {
  const lastUser = messages.filter((m) => m.sender === 'user').pop();
  const answered = lastUser && messages.some((m) => m.sender === 'bot' && m.message_id > lastUser.message_id);
  const waiting = state.waitingSince && !answered && Date.now() - state.waitingSince < 30000;
  if (!waiting) state.waitingSince = 0;
  $('typing').hidden = !waiting;
}

async function refresh() {
  const { messages } = await api('GET', `chats/${state.config.chatId}/history`);
  const json = JSON.stringify(messages);
  if (json !== state.lastJson) {
    state.lastJson = json;
    state.pressing.clear();
    render(messages);
  }
  updateTyping(messages);
}

async function press(messageId, data, key) {
  state.pressing.add(key);
  for (const button of document.querySelectorAll(`.msg[data-message-id="${messageId}"] button`)) {
    if (button.dataset.callbackData === data) button.disabled = true;
  }
  try {
    await api('POST', 'pressButton', { ...state.config.user, messageId, data });
    $('error').textContent = '';
  } catch (error) {
    state.pressing.delete(key);
    $('error').textContent = `Button: ${error.message}`;
    state.lastJson = '';
  }
  refresh().catch(() => undefined);
}

async function send(event) {
  event.preventDefault();
  const input = $('text');
  const text = input.value.trim();
  if (!text) return;
  $('send').disabled = true;
  try {
    await api('POST', 'sendMessage', { ...state.config.user, text });
    input.value = '';
    state.waitingSince = Date.now();
    $('error').textContent = '';
    await refresh();
  } catch (error) {
    $('error').textContent = `Sending failed: ${error.message}`;
  } finally {
    $('send').disabled = false;
    input.focus();
  }
}

async function poll() {
  for (;;) {
    try {
      await refresh();
      $('status').textContent = 'local Telegram emulator · online';
    } catch (error) {
      $('status').textContent = `emulator unreachable (${error.message})`;
    }
    await new Promise((resolve) => setTimeout(resolve, 600));
  }
}

async function main() {
  state.config = await (await fetch('/config.json')).json();
  $('tasks-link').href = state.config.links.tasks;
  $('editor-link').href = state.config.links.editor;
  $('offline-banner').hidden = !state.config.offline;
  if (!state.config.emulated) {
    $('real-banner').hidden = false;
    $('composer').hidden = true;
    $('status').textContent = 'real Telegram';
    return;
  }
  $('composer').addEventListener('submit', send);
  poll();
}

main();
