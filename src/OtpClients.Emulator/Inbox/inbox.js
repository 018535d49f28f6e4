// The emulator's phone inbox: renders GET /_emulator/messages, refreshed on each server-sent event of
// GET /_emulator/events; drives faults through /_emulator/faults. No framework, no build step, no external request.
"use strict";

const providers = ["AMM", "iP1", "99digital", "Twilio"];
const channelProviders = ["Twilio"]; // the providers that also call and send WhatsApp
const seen = new Set();
let messages = [];
let faults = [];
let deliveries = {};
let refreshing = null;

const $ = (id) => document.getElementById(id);

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("data-") || key.startsWith("aria-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

async function api(path, options) {
  const response = await fetch(path, Object.assign({ headers: { "accept": "application/json" } }, options));
  if (!response.ok) throw new Error(`${options && options.method || "GET"} ${path}: HTTP ${response.status}`);
  return response.status === 204 ? null : response.json();
}

function time(iso) {
  const date = new Date(iso);
  return isNaN(date) ? "" : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

// The message text with every occurrence of the code in a <mark>.
function textWithCode(text, code) {
  const p = el("p", { class: "text" });
  if (!code) { p.textContent = text; return p; }
  const parts = text.split(code);
  parts.forEach((part, i) => {
    p.append(part);
    if (i < parts.length - 1) p.append(el("mark", { class: "code", text: code }));
  });
  return p;
}

function describe(status) {
  if (!status) return { state: "unknown", text: "status unknown" };
  const attempts = status.maxAttempts ? `${status.attemptsUsed} of ${status.maxAttempts} wrong attempts` : `${status.attemptsUsed} wrong ${status.attemptsUsed === 1 ? "attempt" : "attempts"}`;
  const until = status.state === "pending" ? ` · expires ${time(status.expiresAt)}` : "";
  return { state: status.state, text: `${status.state} · ${attempts}${until}` };
}

function renderMessages() {
  const provider = $("provider-filter").value;
  const phoneFilter = $("phone-filter").value.replace(/[^\d+]/g, "");
  const shown = messages
    .filter((m) => !provider || m.provider === provider)
    .filter((m) => !phoneFilter || m.phoneNumber.includes(phoneFilter.replace(/^\+?/, "")))
    .slice()
    .reverse(); // newest first

  const groups = new Map();
  for (const m of shown) {
    if (!groups.has(m.phoneNumber)) groups.set(m.phoneNumber, []);
    groups.get(m.phoneNumber).push(m);
  }

  const container = $("messages");
  container.replaceChildren();
  $("empty").hidden = shown.length > 0;
  for (const [phone, list] of groups) {
    const section = el("section", { class: "phone", "aria-label": `Messages to ${phone}` }, el("h3", { text: phone }));
    for (const m of list) {
      const key = `${m.provider}|${m.id}`;
      const status = describe(m.status);
      const copy = el("button", { type: "button", class: "copy", text: "Copy", "aria-label": `Copy code ${m.code}` });
      copy.addEventListener("click", async () => {
        try { await navigator.clipboard.writeText(m.code); copy.textContent = "Copied"; }
        catch { copy.textContent = "Select the code"; }
        setTimeout(() => { copy.textContent = "Copy"; }, 1500);
      });
      const delivery = m.delivery || "delivered";
      const note = delivery === "dropped" ? el("p", { class: "delivery-note", text: "Dropped: the provider said sent, but this never reached the phone." })
        : delivery === "delayed" ? el("p", { class: "delivery-note delayed", text: `Delayed: reaches the phone at ${time(m.deliveredAt)}.` })
        : null;
      const article = el("article",
        { class: (seen.has(key) ? "msg" : "msg new") + (delivery === "dropped" ? " dropped" : ""), "data-provider": m.provider, "data-id": m.id, "data-code": m.code, "data-state": status.state, "data-delivery": delivery },
        el("div", { class: "meta" },
          el("span", { class: "badge", text: m.provider }),
          `from ${m.sender || "(default sender)"} · ${time(m.sentAt)}${m.sandbox ? " · sandbox" : ""}`),
        el("p", { class: "encoding" + (m.segments > 1 && m.channel === "sms" ? " multi" : ""), "data-channel": m.channel || "sms",
          text: m.channel === "voice" ? "Voice call: the code spoken digit by digit"
            : m.channel === "whatsapp" ? "WhatsApp message"
            : `SMS · ${m.encoding} · ${m.segments} ${m.segments === 1 ? "segment" : "segments"}` }),
        textWithCode(m.text, m.code),
        el("p", { class: `status ${status.state}`, text: status.text }),
        note,
        el("div", { class: "actions" }, copy));
      seen.add(key);
      section.append(article);
    }
    container.append(section);
  }
}

function renderFaults() {
  for (const provider of providers) {
    const form = document.querySelector(`form.fault[data-provider="${provider}"]`);
    const active = faults.filter((f) => f.provider === provider);
    const state = form.querySelector(".fault-state");
    state.classList.toggle("active", active.length > 0);
    state.textContent = active.length === 0 ? "No fault: calls are answered normally." : active.map(describeFault).join("; ");
  }
}

const channelNames = { sms: "SMS", voice: "Calls", whatsapp: "WhatsApp" };
const ruleOf = (key) => Object.entries(deliveries).find(([name]) => name.toLowerCase() === key.toLowerCase());

function renderDeliveries() {
  for (const provider of providers) {
    const form = document.querySelector(`form.delivery[data-provider="${provider}"]`);
    const selected = form.elements.channel ? form.elements.channel.value : "";
    const rule = ruleOf(selected ? `${provider}/${selected}` : provider);
    const state = form.querySelector(".delivery-state");
    const mode = rule ? rule[1].mode : "deliver";
    state.classList.toggle("active", mode !== "deliver");
    state.textContent = mode === "drop" ? "Dropping every message silently."
      : mode === "delay" ? `Delaying every message by ${Math.round(rule[1].delayMs / 1000)} s.`
      : "Messages reach the phone at once.";
    // A channel's own rule (Twilio's calls dropped while its texts arrive) is said after the provider's.
    const channels = Object.entries(deliveries).filter(([name]) => name.toLowerCase().startsWith(provider.toLowerCase() + "/"));
    for (const [name, r] of channels) {
      const channel = channelNames[name.split("/")[1]] || name;
      state.textContent += r.mode === "drop" ? ` ${channel}: dropped silently.` : ` ${channel}: delayed by ${Math.round(r.delayMs / 1000)} s.`;
      state.classList.add("active");
    }
    // The controls show the mode in force, so that Apply without a change keeps it (unless the user is editing them).
    if (document.activeElement !== form.elements.mode && document.activeElement !== form.elements.delaySeconds) {
      form.elements.mode.value = mode;
      if (mode === "delay") form.elements.delaySeconds.value = String(Math.round(rule[1].delayMs / 1000));
    }
  }
}

function buildDeliveryForms() {
  const template = $("delivery-template");
  const host = $("deliveries");
  for (const provider of providers) {
    const form = template.content.firstElementChild.cloneNode(true);
    form.dataset.provider = provider;
    form.setAttribute("aria-label", `Delivery of ${provider}`);
    form.querySelector("legend").textContent = provider;
    if (!channelProviders.includes(provider)) form.querySelector("label.channel").remove(); // SMS only
    else form.elements.channel.addEventListener("change", renderDeliveries);
    for (const input of form.querySelectorAll("input, select")) input.id = `${provider}-delivery-${input.name}`;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const rule = { provider, mode: data.get("mode") };
      if (data.get("channel")) rule.channel = data.get("channel");
      if (rule.mode === "delay") rule.delayMs = Math.min(Math.max(Number(data.get("delaySeconds") || 30), 1), 86400) * 1000;
      await api("/_emulator/delivery", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rule) });
      await refresh();
    });
    host.append(form);
  }
}

function describeFault(f) {
  const what = [];
  if (f.delayMs) what.push(`${f.delayMs} ms latency`);
  if (f.status) what.push(`HTTP ${f.status}`);
  if (f.abort) what.push("connection dropped");
  const rate = f.probability < 1 ? ` on ${Math.round(f.probability * 100)}% of calls` : " on every call";
  return `Active: ${what.join(", ") || "no effect"}${rate}`;
}

function buildFaultForms() {
  const template = $("fault-template");
  const host = $("faults");
  for (const provider of providers) {
    const form = template.content.firstElementChild.cloneNode(true);
    form.dataset.provider = provider;
    form.setAttribute("aria-label", `Faults of ${provider}`);
    form.querySelector("legend").textContent = provider;
    for (const input of form.querySelectorAll("input")) input.id = `${provider}-${input.name}`;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const rate = Number(data.get("rate") || 100);
      const fault = { provider, count: null, probability: Math.min(Math.max(rate, 1), 100) / 100 };
      if (data.get("delayMs")) fault.delayMs = Number(data.get("delayMs"));
      if (data.get("status")) fault.status = Number(data.get("status"));
      if (data.get("abort")) fault.abort = true;
      await api(`/_emulator/faults?provider=${encodeURIComponent(provider)}`, { method: "DELETE" });
      await api("/_emulator/faults", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fault) });
      await refresh();
    });
    form.querySelector(".clear").addEventListener("click", async () => {
      await api(`/_emulator/faults?provider=${encodeURIComponent(provider)}`, { method: "DELETE" });
      form.reset();
      await refresh();
    });
    host.append(form);
  }
}

async function renderAccounts() {
  const info = await api("/_emulator");
  const base = info.baseAddress;
  $("accounts").textContent = [
    `AMM        Otp__Amm__BaseAddress=${base}  Otp__Amm__AuthKey=${info.amm.authKey}  Otp__Amm__AuthSecret=${info.amm.authSecret}`,
    `iP1        Otp__Ip1__BaseAddress=${base}  Otp__Ip1__AccountId=${info.ip1.accountId}  Otp__Ip1__ApiKey=${info.ip1.apiKey}`,
    `99digital  Otp__NinetyNineDigital__BaseAddress=${base}  Otp__NinetyNineDigital__ApiKey=${info.ninetyNineDigital.apiKey}  Otp__NinetyNineDigital__Sender=${info.ninetyNineDigital.sender}`,
  ].join("\n");
}

async function refresh() {
  [messages, faults, deliveries] = await Promise.all([api("/_emulator/messages"), api("/_emulator/faults"), api("/_emulator/delivery")]);
  renderMessages();
  renderFaults();
  renderDeliveries();
}

// Coalesces bursts of events into one refresh.
function scheduleRefresh() {
  if (refreshing) return;
  refreshing = setTimeout(async () => {
    refreshing = null;
    try { await refresh(); } catch { /* the next event or tick retries */ }
  }, 30);
}

function connect() {
  const connection = $("connection");
  const events = new EventSource("/_emulator/events");
  events.addEventListener("open", () => { connection.textContent = "Live"; connection.classList.add("live"); });
  events.addEventListener("change", scheduleRefresh);
  events.addEventListener("error", () => { connection.textContent = "Reconnecting…"; connection.classList.remove("live"); });
}

document.addEventListener("DOMContentLoaded", async () => {
  buildFaultForms();
  buildDeliveryForms();
  $("provider-filter").addEventListener("change", renderMessages);
  $("phone-filter").addEventListener("input", renderMessages);
  $("clear-inbox").addEventListener("click", async () => {
    await api("/_emulator/messages", { method: "DELETE" });
    await refresh();
  });
  await Promise.all([renderAccounts(), refresh()]);
  connect();
  setInterval(scheduleRefresh, 5000); // codes expire with the emulator's clock, which sends no event
});
