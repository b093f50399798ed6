'use strict';
/*
 * A Telegram Bot API peer on loopback for formabot's tests.
 *
 *     node launcher.js [PORT]        (or env PORT; 0 or nothing: any free port)
 *
 * Listens on 127.0.0.1, prints one line `READY <port>` on stdout once it accepts
 * connections, and exits cleanly on SIGTERM / SIGINT (or when its parent process
 * dies).  Diagnostics go to stderr (TELEGRAM_PEER_QUIET=1 silences them; the
 * emulator's own debug output needs DEBUG=TelegramServer:*).
 *
 * It runs the `telegram-test-api` emulator (its storage, counters and user-side
 * routes) behind a front Express app whose routes answer the Bot API the way
 * python-telegram-bot 22 expects.  Every incompatibility is corrected here, at the
 * emulator's edge, never in the bot:
 *   1. getMe has `is_bot` (and the id that the token's prefix names);
 *   2. dates are in seconds, not milliseconds;
 *   3. callback queries carry `chat_instance` and the full pressed message;
 *   4. editMessageText / editMessageReplyMarkup / editMessageCaption return the
 *      edited Message (and, as Telegram does, editing text without a keyboard
 *      removes the keyboard);
 *   5. getUpdates honours `offset` (updates are confirmed, not lost when a
 *      response is dropped), `limit` and `timeout` (real long polling).
 * Added: setMyCommands / getMyCommands / deleteMyCommands, setMyDescription,
 * setMyShortDescription (and their getters), setMyName/getMyName, sendChatAction,
 * getChat, getWebhookInfo, sendDocument (multipart), getFile and the file download
 * route `/file/bot<TOKEN>/<path>`; HTML `parse_mode` is rendered into text and
 * entities (with Telegram's errors for bad markup); length, callback_data and
 * chat-action limits answer Telegram's 400 errors; webhooks are delivered with
 * the secret-token header.
 *
 * User side (JSON POSTs, each with `botToken`):
 *   /sendMessage, /sendCommand      {botToken, text, from, chat, reply_to_message_id?}
 *   /sendDocument                   {botToken, from, chat, file_name, mime_type,
 *                                    content (base64), caption?}
 *   /sendCallback                   {botToken, from, chat, data, message_id?}
 *   /getBotMessages                 {token, chatId}   every bot message to the chat,
 *                                   as Telegram Message objects (current state)
 *   /getBotState                    {token}  commands, descriptions, chat actions,
 *                                   callback answers, deleted messages
 *   /blockBot                       {token, chatId, blocked}  403 for the bot
 *   /reset                          {token?}  forget everything (of that bot)
 *   /getUpdates, /getUpdatesHistory the emulator's own routes, unchanged.
 */

const crypto = require('crypto');
const busboy = require('busboy');
const express = require('express');
const TelegramServer = require('telegram-test-api');

const HOST = '127.0.0.1';
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
const MAX_UPLOAD = 50 * 1024 * 1024;
const LONG_POLL_CAP_S = 50;
const CHAT_ACTIONS = new Set([
  'typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice',
  'upload_document', 'choose_sticker', 'find_location', 'record_video_note',
  'upload_video_note',
]);

function log(...args) {
  if (process.env.TELEGRAM_PEER_QUIET) return;
  process.stderr.write(`[telegram-peer] ${args.join(' ')}\n`);
}

// --- small helpers ------------------------------------------------------------------

const nowSeconds = () => Math.floor(Date.now() / 1000);

class ApiError extends Error {
  constructor(code, description) {
    super(description);
    this.code = code;
  }
}
const badRequest = (what) => new ApiError(400, `Bad Request: ${what}`);

function ok(res, result) {
  res.json({ ok: true, result });
}

function fail(res, err) {
  const code = err instanceof ApiError ? err.code : 500;
  const description = err instanceof ApiError ? err.message : `Internal Server Error: ${err && err.stack}`;
  if (!(err instanceof ApiError)) log('error:', description);
  if (!res.headersSent) res.status(code).json({ ok: false, error_code: code, description });
}

/** An Express handler that may be async and may throw ApiError. */
const route = (fn) => (req, res, next) => {
  Promise.resolve()
    .then(() => fn(req, res, next))
    .catch((err) => fail(res, err));
};

/** Bot API parameters: query string and body (JSON, urlencoded or multipart). */
function params(req) {
  return { ...req.query, ...(req.body && typeof req.body === 'object' ? req.body : {}) };
}

/** PTB sends every non-string value JSON-encoded in a form field. */
function jsonParam(value) {
  if (typeof value !== 'string') return value;
  const s = value.trim();
  if (!s) return undefined;
  if ('[{"'.includes(s[0]) || s === 'true' || s === 'false' || s === 'null' || /^-?\d/.test(s)) {
    try {
      return JSON.parse(s);
    } catch (_e) {
      return value;
    }
  }
  return value;
}

function boolParam(value) {
  const v = jsonParam(value);
  return v === true || v === 1 || v === '1' || v === 'True';
}

function intParam(value, name, { required = false } = {}) {
  if (value === undefined || value === null || value === '') {
    if (required) throw badRequest(`${name} is empty`);
    return undefined;
  }
  const n = Number(jsonParam(value));
  if (!Number.isInteger(n)) throw badRequest(`${name} is invalid`);
  return n;
}

function utf16Length(s) {
  return s.length;
}

// --- HTML parse mode (the subset Telegram accepts) -------------------------------------

const SIMPLE_TAGS = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline',
  s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', 'tg-spoiler': 'spoiler',
  code: 'code', pre: 'pre', blockquote: 'blockquote', a: 'text_link', span: 'spoiler',
  'tg-emoji': 'custom_emoji',
};

function decodeEntity(name) {
  const named = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };
  if (name in named) return named[name];
  const m = /^#(x[0-9a-f]+|[0-9]+)$/i.exec(name);
  if (m) {
    const cp = m[1][0].toLowerCase() === 'x' ? parseInt(m[1].slice(1), 16) : parseInt(m[1], 10);
    if (cp > 0 && cp <= 0x10ffff) return String.fromCodePoint(cp);
  }
  return null;
}

function parseAttributes(raw) {
  const attrs = {};
  const re = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  let m;
  while ((m = re.exec(raw)) !== null) {
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    attrs[m[1].toLowerCase()] = value.replace(/&(#?[a-zA-Z0-9]+);/g, (all, n) => decodeEntity(n) ?? all);
  }
  return attrs;
}

/** Telegram's HTML: returns {text, entities} or throws "can't parse entities". */
function parseHtml(source) {
  const err = (what) => badRequest(`can't parse entities: ${what}`);
  const byteOffset = (i) => Buffer.byteLength(source.slice(0, i), 'utf8');
  let text = '';
  const entities = [];
  const stack = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '&') {
      const m = /^&(#?[a-zA-Z0-9]+);/.exec(source.slice(i, i + 12));
      const decoded = m ? decodeEntity(m[1]) : null;
      if (decoded !== null) {
        text += decoded;
        i += m[0].length;
      } else {
        text += c;
        i += 1;
      }
      continue;
    }
    if (c !== '<') {
      text += c;
      i += 1;
      continue;
    }
    const end = source.indexOf('>', i);
    if (end < 0) throw err(`Can't find end of the tag starting at byte offset ${byteOffset(i)}`);
    const inner = source.slice(i + 1, end);
    if (inner.startsWith('/')) {
      const name = inner.slice(1).trim().toLowerCase();
      const open = stack.pop();
      if (!open) throw err(`Unexpected end tag at byte offset ${byteOffset(i)}`);
      if (name && name !== open.name) {
        throw err(`Unmatched end tag at byte offset ${byteOffset(i)}, expected "</${open.name}>", found "</${name}>"`);
      }
      const length = utf16Length(text) - open.offset;
      if (length > 0 && open.entity) {
        entities.push({ ...open.entity, offset: open.offset, length });
      }
      i = end + 1;
      continue;
    }
    const m = /^([a-zA-Z][-a-zA-Z0-9]*)([\s\S]*)$/.exec(inner);
    const name = m ? m[1].toLowerCase() : '';
    if (!m || !(name in SIMPLE_TAGS)) {
      throw err(`Unsupported start tag "${name}" at byte offset ${byteOffset(i)}`);
    }
    const attrs = parseAttributes(m[2]);
    let entity = { type: SIMPLE_TAGS[name] };
    if (name === 'span') {
      if (attrs.class !== 'tg-spoiler') throw err(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(i)}`);
    } else if (name === 'a') {
      const href = attrs.href || '';
      const mention = /^tg:\/\/user\?id=(\d+)$/.exec(href);
      if (mention) entity = { type: 'text_mention', user: { id: Number(mention[1]), is_bot: false, first_name: '' } };
      else if (href) entity = { type: 'text_link', url: href };
      else entity = null;
    } else if (name === 'tg-emoji') {
      entity.custom_emoji_id = attrs['emoji-id'] || '';
    } else if (name === 'blockquote' && 'expandable' in attrs) {
      entity.type = 'expandable_blockquote';
    } else if (name === 'code') {
      const parent = stack[stack.length - 1];
      const lang = /^language-(.+)$/.exec(attrs.class || '');
      if (parent && parent.name === 'pre' && lang && parent.entity) {
        parent.entity.language = lang[1];
        entity = null; // <pre><code class="language-x"> is one pre entity
      }
    }
    stack.push({ name, offset: utf16Length(text), entity });
    i = end + 1;
  }
  if (stack.length) {
    throw err(`Can't find end tag corresponding to start tag "${stack[stack.length - 1].name}"`);
  }
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

/** The text (or caption) that Telegram would store, with its entities. */
function render(value, parseMode, explicitEntities) {
  if (value === undefined || value === null) return { text: undefined, entities: undefined };
  const raw = String(value);
  const mode = (parseMode || '').toLowerCase();
  let out;
  if (mode === 'html') out = parseHtml(raw);
  else out = { text: raw, entities: jsonParam(explicitEntities) || [] };
  return { text: out.text, entities: out.entities.length ? out.entities : undefined };
}

// --- the emulator and what this edge adds to it ---------------------------------------------

const server = new TelegramServer({ host: HOST, storeTimeout: 24 * 3600 });
const state = {
  chats: new Map(), // String(chat id) -> Chat, as users introduced them
  files: new Map(), // file_id -> stored file
  filesByPath: new Map(),
  bots: new Map(), // token -> {commands, description, ...}
  callbacks: new Map(), // callback query id -> {botToken, answer}
  blocked: new Set(), // `${token}|${chatId}`
  fileCounter: 0,
  shuttingDown: false,
};
const waiters = new Set(); // long polls waiting for a user update

function wakeWaiters() {
  for (const w of [...waiters]) w();
}

function botState(token) {
  if (!state.bots.has(token)) {
    state.bots.set(token, {
      commands: new Map(),
      description: new Map(),
      shortDescription: new Map(),
      name: new Map(),
      chatActions: [],
      deleted: [],
    });
  }
  return state.bots.get(token);
}

function botUser(token) {
  const prefix = /^(\d+):/.exec(token || '');
  return {
    id: prefix ? Number(prefix[1]) : 666,
    is_bot: true,
    first_name: process.env.TELEGRAM_BOT_FIRST_NAME || 'Test First name',
    username: process.env.TELEGRAM_BOT_USERNAME || 'TestNameBot',
  };
}

function normalizeUser(from) {
  const user = { id: 1, first_name: 'TestName', ...(from || {}) };
  user.id = Number(user.id);
  user.is_bot = false;
  return user;
}

function normalizeChat(chat, from) {
  const c = { ...(chat || { id: from.id }) };
  c.id = Number(c.id);
  if (!c.type) c.type = c.id < 0 ? 'group' : 'private';
  if (c.type === 'private') {
    c.first_name = c.first_name || from.first_name;
    if (from.username && !c.username) c.username = from.username;
    if (from.last_name && !c.last_name) c.last_name = from.last_name;
    delete c.title;
  } else if (!c.title) {
    c.title = 'Test group';
  }
  state.chats.set(String(c.id), c);
  return c;
}

function chatFor(chatId) {
  const known = state.chats.get(String(chatId));
  if (known) return known;
  const id = Number(chatId);
  return id < 0 ? { id, type: 'group', title: 'Test group' } : { id, type: 'private', first_name: 'User' };
}

function chatInstance(token, chatId) {
  const digest = crypto.createHash('sha1').update(`${token}|${chatId}`).digest();
  return digest.readBigInt64BE(0).toString();
}

function checkChat(token, chatId) {
  if (chatId === undefined || chatId === null || chatId === '') throw badRequest('chat_id is empty');
  if (state.blocked.has(`${token}|${Number(chatId)}`)) {
    throw new ApiError(403, 'Forbidden: bot was blocked by the user');
  }
}

function findBotRecord(token, chatId, messageId) {
  return server.storage.botMessages.find((r) => r.botToken === token
    && String(r.message.chat_id) === String(chatId) && r.messageId === Number(messageId));
}

function findUserRecord(token, chatId, messageId) {
  return server.storage.userMessages.find((u) => u.botToken === token && u.message
    && String(u.message.chat && u.message.chat.id) === String(chatId) && u.messageId === Number(messageId));
}

/** A stored bot message as the Telegram Message the Bot API returns. */
function formatBotMessage(record, { userView = false, depth = 0 } = {}) {
  const m = record.message;
  const out = {
    message_id: record.messageId,
    from: botUser(record.botToken),
    chat: chatFor(m.chat_id),
    date: Math.floor(record.time / 1000),
  };
  if (record.editDate) out.edit_date = record.editDate;
  for (const key of ['text', 'entities', 'caption', 'caption_entities', 'document']) {
    if (m[key] !== undefined) out[key] = m[key];
  }
  if (m.reply_markup && (userView || 'inline_keyboard' in m.reply_markup)) {
    out.reply_markup = m.reply_markup;
  }
  if (m.reply_to_message_id && depth === 0) {
    const replied = findBotRecord(record.botToken, m.chat_id, m.reply_to_message_id);
    const userReplied = findUserRecord(record.botToken, m.chat_id, m.reply_to_message_id);
    if (replied) out.reply_to_message = formatBotMessage(replied, { depth: 1 });
    else if (userReplied) out.reply_to_message = formatUserMessage(userReplied);
  }
  return out;
}

function formatUserMessage(update) {
  const msg = { ...update.message, message_id: update.messageId };
  delete msg.botToken;
  if (msg.date > 1e11) msg.date = Math.floor(msg.date / 1000);
  return msg;
}

// Incompatibility 3 (and tidiness): the emulator's update formatting, wrapped.
const originalFormatUpdate = TelegramServer.formatUpdate;
TelegramServer.formatUpdate = function formatUpdate(update) {
  const out = originalFormatUpdate.call(TelegramServer, update);
  if (out.callback_query) {
    const cq = update.callbackQuery;
    out.callback_query.chat_instance = cq.chat_instance
      || chatInstance(update.botToken, cq.message && cq.message.chat && cq.message.chat.id);
    out.callback_query.from = normalizeUser(cq.from);
    if (out.callback_query.data === undefined) delete out.callback_query.data;
  } else if (out.message) {
    out.message = formatUserMessage({ ...update, message: out.message });
  }
  return out;
};

// Webhooks: delivered in order, with Telegram's secret-token header, retried for
// about half a minute (Telegram keeps trying far longer) so a bot killed and
// restarted still gets what it did not answer 200 to; a failed delivery never
// crashes the process (the emulator's would reject unhandled).
const webhookQueues = new Map();
const WEBHOOK_ATTEMPTS = 40;
async function deliverWebhook(hook, update) {
  const headers = { 'content-type': 'application/json' };
  if (hook.secret_token) headers['X-Telegram-Bot-Api-Secret-Token'] = hook.secret_token;
  for (let attempt = 1; attempt <= WEBHOOK_ATTEMPTS; attempt += 1) {
    if (update.isRead) return; // queued twice (a webhook set again): delivered already
    try {
      const resp = await fetch(hook.url, {
        method: 'POST', headers, body: JSON.stringify(TelegramServer.formatUpdate(update)),
      });
      if (resp.status >= 200 && resp.status < 300) {
        update.isRead = true;
        return;
      }
      log(`webhook ${hook.url} answered ${resp.status} (attempt ${attempt})`);
    } catch (e) {
      log(`webhook ${hook.url} failed: ${e.message} (attempt ${attempt})`);
    }
    await new Promise((r) => { setTimeout(r, Math.min(200 * attempt, 1000)); });
  }
}

function queueWebhook(token, hook, update) {
  const previous = webhookQueues.get(token) || Promise.resolve();
  webhookQueues.set(token, previous.then(() => deliverWebhook(hook, update)));
}

server.addUserUpdate = async function addUserUpdate(update) {
  if (!update.botToken) throw badRequest('the update must carry `botToken`');
  this.storage.userMessages.push(update);
  this.updateId += 1;
  const hook = this.webhooks[update.botToken];
  if (hook) queueWebhook(update.botToken, hook, update);
  wakeWaiters();
};

// --- the front app -------------------------------------------------------------------

const app = express();
app.disable('x-powered-by');

/** multipart/form-data for Bot API calls: fields into req.body, files into req.files. */
function multipart(req, res, next) {
  if (!req.is('multipart/form-data')) {
    next();
    return;
  }
  let bb;
  try {
    bb = busboy({ headers: req.headers, limits: { fileSize: MAX_UPLOAD } });
  } catch (e) {
    fail(res, badRequest(`invalid multipart body: ${e.message}`));
    return;
  }
  req.body = {};
  req.files = {};
  let tooLarge = false;
  bb.on('field', (name, value) => { req.body[name] = value; });
  bb.on('file', (name, stream, info) => {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('limit', () => { tooLarge = true; });
    stream.on('end', () => {
      req.files[name] = { filename: info.filename, mimeType: info.mimeType, data: Buffer.concat(chunks) };
    });
  });
  bb.on('error', (e) => fail(res, badRequest(`invalid multipart body: ${e.message}`)));
  bb.on('close', () => {
    if (tooLarge) fail(res, new ApiError(413, 'Request Entity Too Large'));
    else next();
  });
  req.pipe(bb);
}

app.use(express.json({ limit: '100mb' }));
app.use(express.urlencoded({ extended: true, limit: '10mb' }));
app.use(multipart);

const bot = (method, handler) => {
  app.all(`/bot:token/${method}`, route((req, res) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      throw badRequest(`HTTP method ${req.method} is not allowed`);
    }
    return handler(req.params.token, params(req), req, res);
  }));
};

// 1. getMe with is_bot.
bot('getMe', (token, _p, _req, res) => ok(res, {
  ...botUser(token),
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
}));

// 5. getUpdates with offset confirmation, limit and long polling.
function pendingUpdates(token, offset) {
  return server.storage.userMessages
    .filter((u) => u.botToken === token && !u.isRead && (offset === undefined || u.updateId >= offset))
    .sort((a, b) => a.updateId - b.updateId);
}

function confirmUpdates(token, offset) {
  if (offset === undefined || offset === 0) return;
  const mine = server.storage.userMessages.filter((u) => u.botToken === token && !u.isRead)
    .sort((a, b) => a.updateId - b.updateId);
  if (offset < 0) {
    mine.slice(0, Math.max(0, mine.length + offset)).forEach((u) => { u.isRead = true; });
  } else {
    mine.filter((u) => u.updateId < offset).forEach((u) => { u.isRead = true; });
  }
}

function waitForUpdate(ms, res) {
  return new Promise((resolve) => {
    let timer = null;
    const done = (why) => {
      clearTimeout(timer);
      waiters.delete(wake);
      res.off('close', onClose);
      resolve(why);
    };
    const wake = () => done('update');
    const onClose = () => done('closed');
    timer = setTimeout(() => done('timeout'), ms);
    res.on('close', onClose);
    waiters.add(wake);
  });
}

bot('getUpdates', async (token, p, _req, res) => {
  if (server.webhooks[token]) {
    throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
  }
  let offset = intParam(p.offset, 'offset');
  const limit = Math.min(Math.max(intParam(p.limit, 'limit') || 100, 1), 100);
  const timeout = Math.min(Math.max(Number(jsonParam(p.timeout)) || 0, 0), LONG_POLL_CAP_S);
  confirmUpdates(token, offset);
  if (offset !== undefined && offset < 0) offset = undefined;
  const deadline = Date.now() + timeout * 1000;
  let pending = pendingUpdates(token, offset);
  while (!pending.length && !state.shuttingDown && Date.now() < deadline) {
    const why = await waitForUpdate(deadline - Date.now(), res);
    if (why === 'closed') return; // the client gave up: nothing is lost, nothing confirmed
    pending = pendingUpdates(token, offset);
  }
  ok(res, pending.slice(0, limit).map((u) => TelegramServer.formatUpdate(u)));
});

bot('setWebhook', (token, p, _req, res) => {
  if (!p.url) {
    server.deleteWebhook(token);
  } else {
    server.setWebhook({ url: p.url, secret_token: p.secret_token || undefined }, token);
  }
  if (boolParam(p.drop_pending_updates)) confirmUpdates(token, Number.MAX_SAFE_INTEGER);
  const hook = server.webhooks[token];
  if (hook) {
    // Like Telegram: updates not yet delivered go to the webhook once it is set.
    pendingUpdates(token, undefined).forEach((u) => queueWebhook(token, hook, u));
  }
  ok(res, true);
});

bot('deleteWebhook', (token, p, _req, res) => {
  server.deleteWebhook(token);
  if (boolParam(p.drop_pending_updates)) confirmUpdates(token, Number.MAX_SAFE_INTEGER);
  ok(res, true);
});

bot('getWebhookInfo', (token, _p, _req, res) => {
  const hook = server.webhooks[token];
  ok(res, {
    url: hook ? hook.url : '',
    has_custom_certificate: false,
    pending_update_count: pendingUpdates(token).length,
  });
});

// 2. sendMessage: dates in seconds, a full Message back, Telegram's checks.
function replyMarkupParam(value) {
  const markup = jsonParam(value);
  if (markup === undefined || markup === null || markup === '') return undefined;
  if (typeof markup !== 'object') throw badRequest("can't parse reply keyboard markup JSON object");
  if (markup.inline_keyboard) {
    for (const row of markup.inline_keyboard) {
      for (const button of row) {
        if (!button.text) throw badRequest('text buttons are unallowed in the inline keyboard');
        if (button.callback_data !== undefined) {
          const size = Buffer.byteLength(String(button.callback_data), 'utf8');
          if (size < 1 || size > 64) throw badRequest('BUTTON_DATA_INVALID');
        }
      }
    }
  }
  return markup;
}

function replyToParam(p) {
  const params = jsonParam(p.reply_parameters);
  const id = (params && params.message_id) || intParam(p.reply_to_message_id, 'reply_to_message_id');
  return id || undefined;
}

function addBotMessage(token, message) {
  for (const key of Object.keys(message)) if (message[key] === undefined) delete message[key];
  const sent = server.addBotMessage(message, token);
  const record = server.storage.botMessages.find((r) => r.messageId === sent.message_id);
  return formatBotMessage(record);
}

bot('sendMessage', (token, p, _req, res) => {
  checkChat(token, p.chat_id);
  const { text, entities } = render(p.text, p.parse_mode, p.entities);
  if (!text || !text.trim()) throw badRequest('message text is empty');
  if (utf16Length(text) > MAX_TEXT) throw badRequest('message is too long');
  ok(res, addBotMessage(token, {
    chat_id: String(jsonParam(p.chat_id)),
    text,
    entities,
    reply_markup: replyMarkupParam(p.reply_markup),
    reply_to_message_id: replyToParam(p),
  }));
});

// 4. Edits answer the edited Message.
function editTarget(token, p) {
  if (p.inline_message_id) return null;
  const record = findBotRecord(token, jsonParam(p.chat_id), jsonParam(p.message_id));
  if (!record) throw badRequest('message to edit not found');
  return record;
}

function applyEdit(record, changes) {
  const before = JSON.stringify(formatBotMessage(record, { userView: true }));
  const next = { ...record.message, ...changes };
  for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
  const after = JSON.stringify(formatBotMessage({ ...record, message: next }, { userView: true }));
  if (before === after) {
    throw badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
  }
  record.message = next;
  record.editDate = nowSeconds();
  server.emit('EditedMessageText');
  return formatBotMessage(record);
}

bot('editMessageText', (token, p, _req, res) => {
  const record = editTarget(token, p);
  if (!record) return ok(res, true);
  if (record.message.text === undefined) throw badRequest('there is no text in the message to edit');
  const { text, entities } = render(p.text, p.parse_mode, p.entities);
  if (!text || !text.trim()) throw badRequest('message text is empty');
  if (utf16Length(text) > MAX_TEXT) throw badRequest('MESSAGE_TOO_LONG');
  return ok(res, applyEdit(record, { text, entities, reply_markup: replyMarkupParam(p.reply_markup) }));
});

bot('editMessageCaption', (token, p, _req, res) => {
  const record = editTarget(token, p);
  if (!record) return ok(res, true);
  const { text, entities } = render(p.caption, p.parse_mode, p.caption_entities);
  if (text && utf16Length(text) > MAX_CAPTION) throw badRequest('message caption is too long');
  return ok(res, applyEdit(record, {
    caption: text || undefined, caption_entities: entities, reply_markup: replyMarkupParam(p.reply_markup),
  }));
});

bot('editMessageReplyMarkup', (token, p, _req, res) => {
  const record = editTarget(token, p);
  if (!record) return ok(res, true);
  return ok(res, applyEdit(record, { reply_markup: replyMarkupParam(p.reply_markup) }));
});

bot('deleteMessage', (token, p, _req, res) => {
  const chatId = jsonParam(p.chat_id);
  const messageId = intParam(p.message_id, 'message_id', { required: true });
  const record = findBotRecord(token, chatId, messageId);
  if (record) {
    server.removeBotMessage(record.updateId);
  } else {
    const userRecord = findUserRecord(token, chatId, messageId);
    if (!userRecord) throw badRequest('message to delete not found');
    server.removeUserMessage(userRecord.updateId);
  }
  botState(token).deleted.push({ chat_id: Number(chatId), message_id: messageId });
  ok(res, true);
});

bot('answerCallbackQuery', (token, p, _req, res) => {
  const query = state.callbacks.get(String(p.callback_query_id));
  if (!query || query.botToken !== token || query.answer) {
    throw badRequest('query is too old and response timeout expired or query ID is invalid');
  }
  query.answer = {
    text: p.text, show_alert: boolParam(p.show_alert), url: p.url, cache_time: intParam(p.cache_time, 'cache_time'),
  };
  ok(res, true);
});

// Commands, descriptions, name.
function commandsKey(p) {
  const scope = jsonParam(p.scope) || { type: 'default' };
  return JSON.stringify([scope.type, scope.chat_id ?? null, scope.user_id ?? null, p.language_code || '']);
}

bot('setMyCommands', (token, p, _req, res) => {
  const commands = jsonParam(p.commands);
  if (!Array.isArray(commands)) throw badRequest('commands must be an array');
  if (commands.length > 100) throw badRequest('BOT_COMMANDS_TOO_MUCH');
  for (const c of commands) {
    if (!c || !/^[a-z0-9_]{1,32}$/.test(String(c.command || ''))) throw badRequest('BOT_COMMAND_INVALID');
    const d = String(c.description || '');
    if (d.length < 1 || d.length > 256) throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
  }
  botState(token).commands.set(commandsKey(p), commands.map((c) => ({ command: c.command, description: c.description })));
  ok(res, true);
});

bot('getMyCommands', (token, p, _req, res) => ok(res, botState(token).commands.get(commandsKey(p)) || []));

bot('deleteMyCommands', (token, p, _req, res) => {
  botState(token).commands.delete(commandsKey(p));
  ok(res, true);
});

function textSetting(method, getter, field, stateKey, max) {
  bot(method, (token, p, _req, res) => {
    const value = p[field] === undefined ? '' : String(p[field]);
    if (value.length > max) throw badRequest(`${field.toUpperCase()}_INVALID`);
    botState(token)[stateKey].set(p.language_code || '', value);
    ok(res, true);
  });
  bot(getter, (token, p, _req, res) => {
    const values = botState(token)[stateKey];
    ok(res, { [field]: values.get(p.language_code || '') ?? values.get('') ?? '' });
  });
}
textSetting('setMyDescription', 'getMyDescription', 'description', 'description', 512);
textSetting('setMyShortDescription', 'getMyShortDescription', 'short_description', 'shortDescription', 120);
textSetting('setMyName', 'getMyName', 'name', 'name', 64);

bot('sendChatAction', (token, p, _req, res) => {
  checkChat(token, p.chat_id);
  if (!CHAT_ACTIONS.has(p.action)) throw badRequest('wrong parameter action in request');
  botState(token).chatActions.push({ chat_id: Number(jsonParam(p.chat_id)), action: p.action, date: nowSeconds() });
  ok(res, true);
});

bot('getChat', (token, p, _req, res) => {
  const key = String(jsonParam(p.chat_id));
  if (!state.chats.has(key)) throw badRequest('chat not found');
  ok(res, {
    ...state.chats.get(key),
    accent_color_id: 0,
    max_reaction_count: 11,
    accepted_gift_types: {
      unlimited_gifts: false, limited_gifts: false, unique_gifts: false,
      premium_subscription: false, gifts_from_channels: false,
    },
  });
});

// Documents.
function storeFile(token, { data, fileName, mimeType }) {
  state.fileCounter += 1;
  const n = state.fileCounter;
  const ext = (/\.([A-Za-z0-9]{1,8})$/.exec(fileName || '') || [null, 'bin'])[1];
  const file = {
    botToken: token,
    file_id: `BQACAgQAAx${n}_${crypto.randomBytes(8).toString('hex')}`,
    file_unique_id: `AgAD${n}`,
    file_path: `documents/file_${n}.${ext}`,
    file_name: fileName,
    mime_type: mimeType || 'application/octet-stream',
    file_size: data.length,
    data,
  };
  state.files.set(file.file_id, file);
  state.filesByPath.set(file.file_path, file);
  return file;
}

function documentOf(file) {
  const doc = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size };
  if (file.file_name) doc.file_name = file.file_name;
  if (file.mime_type) doc.mime_type = file.mime_type;
  return doc;
}

bot('sendDocument', (token, p, req, res) => {
  checkChat(token, p.chat_id);
  let file;
  const ref = p.document;
  const files = req.files || {};
  if (typeof ref === 'string' && ref.startsWith('attach://')) {
    const part = files[ref.slice('attach://'.length)];
    if (!part) throw badRequest(`file ${ref} not found in the request`);
    file = storeFile(token, { data: part.data, fileName: part.filename, mimeType: part.mimeType });
  } else if (files.document) {
    const part = files.document;
    file = storeFile(token, { data: part.data, fileName: part.filename, mimeType: part.mimeType });
  } else if (typeof ref === 'string' && state.files.has(ref) && state.files.get(ref).botToken === token) {
    file = state.files.get(ref);
  } else if (typeof ref === 'string' && /^https?:\/\//.test(ref)) {
    throw badRequest('sending a document by URL is not supported by the test emulator');
  } else {
    throw badRequest(ref ? 'wrong file identifier/HTTP URL specified' : 'there is no document in the request');
  }
  if (file.data.length === 0) throw badRequest('file must be non-empty');
  const { text: caption, entities } = render(p.caption, p.parse_mode, p.caption_entities);
  if (caption && utf16Length(caption) > MAX_CAPTION) throw badRequest('message caption is too long');
  ok(res, addBotMessage(token, {
    chat_id: String(jsonParam(p.chat_id)),
    document: documentOf(file),
    caption: caption || undefined,
    caption_entities: caption ? entities : undefined,
    reply_markup: replyMarkupParam(p.reply_markup),
    reply_to_message_id: replyToParam(p),
  }));
});

bot('getFile', (token, p, _req, res) => {
  const file = state.files.get(String(p.file_id || ''));
  if (!file || file.botToken !== token) throw badRequest('invalid file_id');
  ok(res, {
    file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size, file_path: file.file_path,
  });
});

app.get('/file/bot:token/*', (req, res) => {
  const file = state.filesByPath.get(req.params[0]);
  if (!file || file.botToken !== req.params.token) {
    res.status(404).json({ ok: false, error_code: 404, description: 'Not Found' });
    return;
  }
  res.set('Content-Type', file.mime_type).send(file.data);
});

// --- the user side -------------------------------------------------------------------------

function userMessage(body) {
  if (!body || !body.botToken) throw badRequest('`botToken` is required');
  const from = normalizeUser(body.from || (body.message && body.message.from));
  const chat = normalizeChat(body.chat || (body.message && body.message.chat)
    || (body.chatId !== undefined ? { id: body.chatId } : undefined), from);
  const message = {
    botToken: body.botToken,
    from,
    chat,
    date: body.date && body.date < 1e11 ? body.date : nowSeconds(),
  };
  if (body.text !== undefined) message.text = String(body.text);
  if (body.entities) message.entities = body.entities;
  if (body.reply_to_message_id) {
    const replied = findBotRecord(body.botToken, chat.id, body.reply_to_message_id)
      || findUserRecord(body.botToken, chat.id, body.reply_to_message_id);
    if (!replied) throw badRequest('message to be replied not found');
    message.reply_to_message = replied.message.chat_id !== undefined
      ? formatBotMessage(replied, { depth: 1 }) : formatUserMessage(replied);
  }
  return message;
}

function commandEntities(text) {
  const m = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  return m ? [{ offset: 0, length: m[0].length, type: 'bot_command' }] : [];
}

async function addUserMessage(message, { command = false } = {}) {
  const ids = { message_id: server.messageId, update_id: server.updateId };
  if (command) await server.addUserCommand(message);
  else await server.addUserMessage(message);
  return ids;
}

app.post('/sendMessage', route(async (req, res) => {
  const message = userMessage(req.body);
  if (!message.text) throw badRequest('message text is empty');
  ok(res, await addUserMessage(message));
}));

app.post('/sendCommand', route(async (req, res) => {
  const message = userMessage(req.body);
  if (!message.entities) message.entities = commandEntities(message.text || '');
  if (!message.entities.length) throw badRequest('a command starts with "/"');
  ok(res, await addUserMessage(message, { command: true }));
}));

app.post('/sendDocument', route(async (req, res) => {
  const body = req.body || {};
  const message = userMessage(body);
  const data = Buffer.from(String(body.content || ''), 'base64');
  if (!data.length) throw badRequest('`content` (base64) is empty');
  const file = storeFile(body.botToken, {
    data, fileName: body.file_name || 'document', mimeType: body.mime_type || 'application/octet-stream',
  });
  message.document = documentOf(file);
  if (body.caption) message.caption = String(body.caption);
  delete message.text;
  ok(res, { ...(await addUserMessage(message)), file_id: file.file_id });
}));

function hasButton(record, data) {
  const markup = record.message.reply_markup;
  return Boolean(markup && markup.inline_keyboard
    && markup.inline_keyboard.some((row) => row.some((b) => b.callback_data === data)));
}

app.post('/sendCallback', route(async (req, res) => {
  const body = req.body || {};
  if (!body.botToken) throw badRequest('`botToken` is required');
  const from = normalizeUser(body.from || (body.message && body.message.from));
  const chat = normalizeChat(body.chat || (body.message && body.message.chat)
    || (body.chatId !== undefined ? { id: body.chatId } : undefined), from);
  const data = body.data === undefined ? undefined : String(body.data);
  const messageId = body.message_id || (body.message && body.message.message_id);
  let record;
  if (messageId) {
    record = findBotRecord(body.botToken, chat.id, messageId);
    if (!record) throw badRequest(`the bot sent no message ${messageId} to chat ${chat.id}`);
  } else {
    record = server.storage.botMessages.filter((r) => r.botToken === body.botToken
      && String(r.message.chat_id) === String(chat.id) && hasButton(r, data)).pop();
    if (!record) throw badRequest(`no message in chat ${chat.id} has a button with callback_data ${JSON.stringify(data)}`);
  }
  if (!hasButton(record, data)) {
    throw badRequest(`message ${record.messageId} has no button with callback_data ${JSON.stringify(data)}`);
  }
  const id = String(server.callbackId);
  const updateId = server.updateId;
  state.callbacks.set(id, { botToken: body.botToken, answer: null });
  await server.addUserCallback({
    botToken: body.botToken,
    from,
    data,
    chat_instance: chatInstance(body.botToken, chat.id),
    message: formatBotMessage(record),
  });
  ok(res, { callback_query_id: id, message_id: record.messageId, update_id: updateId });
}));

app.post('/getBotMessages', route((req, res) => {
  const { token, chatId } = req.body || {};
  ok(res, server.storage.botMessages
    .filter((r) => r.botToken === token && (chatId === undefined || String(r.message.chat_id) === String(chatId)))
    .sort((a, b) => a.messageId - b.messageId)
    .map((r) => formatBotMessage(r, { userView: true })));
}));

app.post('/getBotState', route((req, res) => {
  const token = (req.body || {}).token;
  const s = botState(token);
  const callbackAnswers = {};
  for (const [id, q] of state.callbacks) if (q.botToken === token) callbackAnswers[id] = q.answer;
  ok(res, {
    me: botUser(token),
    webhook: server.webhooks[token] || null,
    commands: [...s.commands].map(([key, commands]) => {
      const [type, chatId, userId, languageCode] = JSON.parse(key);
      return { scope: { type, chat_id: chatId, user_id: userId }, language_code: languageCode, commands };
    }),
    description: Object.fromEntries(s.description),
    short_description: Object.fromEntries(s.shortDescription),
    name: Object.fromEntries(s.name),
    chat_actions: s.chatActions,
    callback_answers: callbackAnswers,
    deleted: s.deleted,
    pending_updates: pendingUpdates(token).length,
  });
}));

app.post('/blockBot', route((req, res) => {
  const { token, chatId, blocked } = req.body || {};
  const key = `${token}|${Number(chatId)}`;
  if (blocked === false) state.blocked.delete(key);
  else state.blocked.add(key);
  ok(res, true);
}));

app.post('/reset', route((req, res) => {
  const token = (req.body || {}).token;
  const keep = (item) => token !== undefined && item.botToken !== token;
  server.storage.userMessages = server.storage.userMessages.filter(keep);
  server.storage.botMessages = server.storage.botMessages.filter(keep);
  for (const [id, f] of state.files) if (!keep(f)) { state.files.delete(id); state.filesByPath.delete(f.file_path); }
  for (const [id, q] of state.callbacks) if (!keep(q)) state.callbacks.delete(id);
  if (token === undefined) {
    state.bots.clear();
    state.blocked.clear();
    state.chats.clear();
    server.webhooks = {};
  } else {
    state.bots.delete(token);
    server.deleteWebhook(token);
  }
  ok(res, true);
}));

// Bot API methods neither the emulator nor this edge implements: a clear 400.
app.all('/bot:token/:method', (req, res) => {
  fail(res, badRequest(`method ${req.params.method} is not implemented by the test emulator (peers/telegram/launcher.js)`));
});

// The emulator's own app (its user-side /getUpdates and /getUpdatesHistory) comes last.
app.use(server.webServer);
app.use((err, _req, res, _next) => {
  if (err && err.type === 'entity.too.large') fail(res, new ApiError(413, 'Request Entity Too Large'));
  else if (err && err.type === 'entity.parse.failed') fail(res, badRequest(`invalid JSON: ${err.message}`));
  else fail(res, err);
});

// --- life cycle -------------------------------------------------------------------------

async function main() {
  const raw = process.argv[2] ?? process.env.PORT ?? '0';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`usage: node launcher.js [PORT]  (bad port ${JSON.stringify(raw)})\n`);
    process.exit(2);
  }
  server.config.port = port; // normalizeConfig turns 0 into 9000; 0 means "any free port" here
  server.webServer = app; // start() serves this app: the front, then the emulator's own
  await server.start();
  const actual = server.server.address().port;
  server.config.apiURL = `http://${HOST}:${actual}`;
  process.stdout.write(`READY ${actual}\n`);
}

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  state.shuttingDown = true;
  wakeWaiters(); // long polls answer now
  setTimeout(() => process.exit(0), 3000).unref();
  try {
    await server.stop();
  } catch (e) {
    log(`stop failed: ${e.message}`);
  }
  process.exit(0);
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
// A peer whose parent (the test run) died without stopping it stops by itself.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) shutdown('parent process gone');
}, 1000).unref();
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('unhandledRejection', (e) => log('unhandled rejection:', e && e.stack ? e.stack : e));

main().catch((e) => {
  process.stderr.write(`telegram peer failed to start: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
