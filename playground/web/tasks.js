// The playground's tasks page: the Google Tasks emulator's lists and tasks (proxied same-origin
// under /gt/), subtasks indented under their parent in position order, refreshed every second.
'use strict';

const $ = (id) => document.getElementById(id);
const seen = new Set();
let lastJson = '';
let firstRender = true;

function taskItem(task, children) {
  const item = document.createElement('li');
  item.className = `task${task.status === 'completed' ? ' completed' : ''}`;
  item.dataset.taskId = task.id;
  if (!firstRender && !seen.has(task.id)) item.classList.add('fresh');
  seen.add(task.id);
  const line = document.createElement('div');
  line.className = 'line';
  const check = document.createElement('span');
  check.className = 'check';
  const title = document.createElement('span');
  title.className = 'task-title';
  title.textContent = task.title || '(no title)';
  line.append(check, title);
  if (task.due) {
    const due = document.createElement('span');
    due.className = 'due';
    const date = new Date(task.due);
    due.textContent = date.toLocaleDateString(undefined, { timeZone: 'UTC', weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' });
    due.title = `due ${task.due.slice(0, 10)}`;
    line.appendChild(due);
  }
  item.appendChild(line);
  if (task.notes) {
    const notes = document.createElement('div');
    notes.className = 'notes';
    notes.textContent = task.notes;
    item.appendChild(notes);
  }
  if (children.length > 0) {
    const sub = document.createElement('ul');
    sub.className = 'tasks';
    for (const child of children) sub.appendChild(taskItem(child, []));
    item.appendChild(sub);
  }
  return item;
}

function byPosition(a, b) {
  return a.position < b.position ? -1 : a.position > b.position ? 1 : 0;
}

function render(state) {
  const container = $('lists');
  container.replaceChildren();
  for (const list of state.lists) {
    const tasks = (state.tasksByList[list.id] || []).filter((t) => !t.deleted && !t.hidden);
    const section = document.createElement('section');
    section.className = 'list';
    section.dataset.listId = list.id;
    const heading = document.createElement('h2');
    heading.textContent = list.title;
    const count = document.createElement('span');
    count.className = 'count';
    count.textContent = `${tasks.filter((t) => !t.parent).length} task(s)`;
    heading.appendChild(count);
    section.appendChild(heading);
    const ul = document.createElement('ul');
    ul.className = 'tasks';
    const ids = new Set(tasks.map((t) => t.id));
    const top = tasks.filter((t) => !t.parent || !ids.has(t.parent)).sort(byPosition);
    for (const task of top) ul.appendChild(taskItem(task, tasks.filter((t) => t.parent === task.id).sort(byPosition)));
    if (top.length === 0) {
      const empty = document.createElement('div');
      empty.className = 'empty';
      empty.textContent = 'No tasks yet: confirm a draft in the chat.';
      section.appendChild(empty);
    }
    section.appendChild(ul);
    container.appendChild(section);
  }
  firstRender = false;
}

async function poll() {
  for (;;) {
    try {
      const response = await fetch('/gt/_control/state');
      if (!response.ok) throw new Error(`${response.status}`);
      const state = await response.json();
      const json = JSON.stringify([state.lists, state.tasksByList]);
      if (json !== lastJson) {
        lastJson = json;
        render(state);
      }
      $('error').textContent = '';
      $('status').textContent = `local emulator · updated ${new Date().toLocaleTimeString()}`;
    } catch (error) {
      $('error').textContent = `Google Tasks emulator unreachable (${error.message})`;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function main() {
  const config = await (await fetch('/config.json')).json();
  $('chat-link').href = config.links.chat;
  $('editor-link').href = config.links.editor;
  if (!config.emulated) {
    $('real-banner').hidden = false;
    return;
  }
  poll();
}

main();
