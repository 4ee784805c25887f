#!/usr/bin/env node
// Drives a Tempo v2 payment session with the reference client (mppx, pinned in package.json:
// `tempo.session.manager`) against a server, following a small list of steps, and prints one JSON
// line per step on stdout. For interop tests on a local chain that hosts the channel reserve
// (mpp-tempo's ReserveChain: anvil + the stand-in + the JSON-RPC shim).
//
// Usage:
//   MPPX_PRIVATE_KEY=0x<64 hex> node session.mjs <baseUrl> --steps "<step>; <step>; ..."
//       [--rpc-url URL] [--chain-id N] [--max-deposit USD] [--timeout-ms MS]
//
// Steps (separated by ';'):
//   fetch <path> [xN]   GET <baseUrl><path> through the manager, N times (default 1): it opens the
//                       channel on the first 402, then pays each request with a voucher
//   sse <path>          opens a paid SSE stream and reads it to the end; the manager answers
//                       payment-need-voucher events with vouchers (or top-ups) on its own
//   topUp <amount>      tops the channel up by <amount> base units
//   close               closes the channel cooperatively (the server sends the close); a later
//                       step starts over with a new manager, which opens a new channel
//
// Options:
//   --rpc-url      the chain's JSON-RPC endpoint (default: env RPC_URL, else http://127.0.0.1:8545)
//   --chain-id     the only chain accepted (default 42431)
//   --max-deposit  the most the manager escrows, in whole tokens (default 10)
//   --timeout-ms   longest a step may take (default 120000)
//
// Output, one line per step: {"step":"fetch /api/metered","index":0,"ok":true,"status":200,
// "receipt":{...},"body":"...","channelId":"0x...","cumulative":"3000"}; an sse step has "events"
// (the data of each message event, in order) and "receipts"; topUp and close have "receipt" (a
// close receipt carries the close "txHash"). A failed step prints "ok":false and an "error", and
// ends the run. Exit code 0 when every step succeeded, 1 otherwise, 2 for a usage error.
// The private key is read from the environment only and never printed.

import { tempo } from 'mppx/client'
import { createClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { tempoModerato } from 'viem/tempo/chains'

function usage(message) {
  process.stderr.write(`session.mjs: ${message}\n`)
  process.stderr.write(
    'usage: MPPX_PRIVATE_KEY=0x... node session.mjs <baseUrl> --steps "fetch /p x3; sse /s; ' +
      'topUp 1000000; close" [--rpc-url URL] [--chain-id N] [--max-deposit USD] [--timeout-ms MS]\n',
  )
  process.exit(2)
}

function parseSteps(text) {
  const steps = []
  for (const raw of text.split(';')) {
    const step = raw.trim()
    if (step === '') continue
    const words = step.split(/\s+/)
    const [verb, ...rest] = words
    if (verb === 'fetch' && (rest.length === 1 || rest.length === 2)) {
      const times = rest.length === 2 ? /^x(\d{1,4})$/.exec(rest[1]) : ['x1', '1']
      if (!times || !rest[0].startsWith('/')) usage(`bad step: ${step}`)
      steps.push({ verb, path: rest[0], times: Number.parseInt(times[1], 10), text: step })
    } else if (verb === 'sse' && rest.length === 1 && rest[0].startsWith('/')) {
      steps.push({ verb, path: rest[0], text: step })
    } else if (verb === 'topUp' && rest.length === 1 && /^\d{1,29}$/.test(rest[0])) {
      steps.push({ verb, amount: BigInt(rest[0]), text: step })
    } else if (verb === 'close' && rest.length === 0) {
      steps.push({ verb, text: step })
    } else {
      usage(`bad step: ${step}`)
    }
  }
  if (steps.length === 0) usage('no steps')
  return steps
}

function parseArgs(argv) {
  const options = {
    baseUrl: undefined,
    rpcUrl: process.env.RPC_URL || 'http://127.0.0.1:8545',
    chainId: 42431,
    maxDeposit: '10',
    timeoutMs: 120_000,
    steps: undefined,
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = () => {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`)
      return argv[++i]
    }
    if (arg === '--rpc-url') options.rpcUrl = value()
    else if (arg === '--chain-id') options.chainId = Number.parseInt(value(), 10)
    else if (arg === '--max-deposit') options.maxDeposit = value()
    else if (arg === '--timeout-ms') options.timeoutMs = Number.parseInt(value(), 10)
    else if (arg === '--steps') options.steps = parseSteps(value())
    else if (arg.startsWith('--')) usage(`unknown option ${arg}`)
    else if (options.baseUrl === undefined) options.baseUrl = arg
    else usage(`unexpected argument ${arg}`)
  }
  if (!options.baseUrl || !/^https?:\/\//.test(options.baseUrl)) usage('missing or bad <baseUrl>')
  if (!options.steps) usage('missing --steps')
  if (!Number.isSafeInteger(options.chainId) || options.chainId <= 0)
    usage('--chain-id must be a positive integer')
  if (!/^\d{1,12}(\.\d{1,6})?$/.test(options.maxDeposit)) usage('--max-deposit must be a decimal')
  if (!Number.isSafeInteger(options.timeoutMs) || options.timeoutMs <= 0)
    usage('--timeout-ms must be a positive integer')
  options.baseUrl = options.baseUrl.replace(/\/+$/, '')
  return options
}

// JSON.stringify that writes bigints as decimal strings.
function line(object) {
  process.stdout.write(
    JSON.stringify(object, (_, v) => (typeof v === 'bigint' ? v.toString() : v)) + '\n',
  )
}

function withTimeout(promise, ms, what) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

const MAX_BODY = 64 * 1024
const MAX_EVENTS = 10_000

const options = parseArgs(process.argv.slice(2))
const key = process.env.MPPX_PRIVATE_KEY?.trim()
if (!key || !/^0x[0-9a-fA-F]{64}$/.test(key)) usage('set MPPX_PRIVATE_KEY to 0x + 64 hex digits')
const account = privateKeyToAccount(key)
// viem's Tempo testnet chain (its serializers build 0x76 transactions), re-pointed at the given
// RPC URL and chain id.
const chain = { ...tempoModerato, id: options.chainId }
const client = createClient({ chain, transport: http(options.rpcUrl) })
function newManager() {
  return tempo.session.manager({
    account,
    client,
    maxDeposit: options.maxDeposit,
    allowedChainIds: [options.chainId],
  })
}
// After a close the manager is done with its channel; the next step starts a new manager (and so
// opens a new channel).
let manager = newManager()

async function run(step) {
  const url = step.path === undefined ? undefined : options.baseUrl + step.path
  if (step.verb === 'fetch') {
    const response = await manager.fetch(url)
    const body = (await response.text()).slice(0, MAX_BODY)
    return {
      ok: response.status >= 200 && response.status < 300,
      status: response.status,
      receipt: response.receipt ?? null,
      body,
    }
  }
  if (step.verb === 'sse') {
    const receipts = []
    const events = []
    const stream = await manager.sse(url, { onReceipt: (r) => receipts.push(r) })
    for await (const data of stream) {
      if (events.length >= MAX_EVENTS) throw new Error(`more than ${MAX_EVENTS} events`)
      events.push(data)
    }
    return { ok: true, events, receipts }
  }
  if (step.verb === 'topUp') {
    return { ok: true, receipt: (await manager.topUp(step.amount)) ?? null }
  }
  const receipt = (await manager.close()) ?? null
  return { ok: true, receipt, txHash: receipt?.txHash ?? null, closed: true }
}

let failed = false
for (let i = 0; i < options.steps.length && !failed; i++) {
  const step = options.steps[i]
  const times = step.verb === 'fetch' ? step.times : 1
  for (let n = 0; n < times && !failed; n++) {
    const out = { step: step.text, index: i }
    if (times > 1) out.repeat = n + 1
    try {
      Object.assign(out, await withTimeout(run(step), options.timeoutMs, step.text))
    } catch (e) {
      out.ok = false
      // the first line only: viem's details repeat request bodies (signed transactions)
      const message = e instanceof Error ? `${e.name}: ${e.shortMessage ?? e.message}` : String(e)
      out.error = message.split('\n')[0].slice(0, 500)
    }
    out.channelId = manager.channelId ?? null
    out.cumulative = manager.cumulative
    if (out.closed) {
      delete out.closed
      manager = newManager()
    }
    line(out)
    if (!out.ok) failed = true
  }
}
process.exit(failed ? 1 : 0)
