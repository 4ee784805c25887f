#!/usr/bin/env node
// The reference session SERVER (mppx 0.11.0, `tempo.session` from mppx/server) on a local port,
// for proving the channel-reserve stand-in and the JSON-RPC shim faithful: mppx's own server and
// client (session.mjs) run a whole session against them. Not used by mpp4j's server code.
//
// Usage:
//   MPPX_OPERATOR_KEY=0x<64 hex> node session-server.mjs --rpc-url URL --recipient 0x...
//       [--chain-id N] [--currency 0x...] [--port P]
//
// Routes (as the mpp4j example offers them):
//   GET /api/metered          session, 0.001 (1000 base units) per request, unitType request,
//                             suggestedDeposit 1.00; answers {"ok":true}
//   GET /api/stream?n=N       session over SSE, 0.0001 (100 base units) per event; N message
//                             events (default 20, at most 1000) with data {"seq":k}
// Management POSTs (voucher, topUp, close) go to the same URLs, as mppx's client sends them.
//
// The operator key (env MPPX_OPERATOR_KEY, never printed) is the offer's `operator`: it sends
// settle and close, so the recipient receives exactly what the channel captures. Prints
// {"listening":"http://127.0.0.1:P"} on stdout once ready; stops on SIGTERM or SIGINT.

import { createServer } from 'node:http'
import { randomBytes } from 'node:crypto'
import { Mppx, Request as MppxRequest, Store, tempo } from 'mppx/server'
import { createClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { tempoModerato } from 'viem/tempo/chains'

function usage(message) {
  process.stderr.write(`session-server.mjs: ${message}\n`)
  process.stderr.write(
    'usage: MPPX_OPERATOR_KEY=0x... node session-server.mjs --rpc-url URL --recipient 0x... ' +
      '[--chain-id N] [--currency 0x...] [--port P]\n',
  )
  process.exit(2)
}

const options = {
  rpcUrl: undefined,
  recipient: undefined,
  chainId: 42431,
  currency: '0x20c0000000000000000000000000000000000001', // AlphaUSD
  port: 0,
}
const argv = process.argv.slice(2)
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i]
  const value = () => {
    if (i + 1 >= argv.length) usage(`${arg} needs a value`)
    return argv[++i]
  }
  if (arg === '--rpc-url') options.rpcUrl = value()
  else if (arg === '--recipient') options.recipient = value()
  else if (arg === '--chain-id') options.chainId = Number.parseInt(value(), 10)
  else if (arg === '--currency') options.currency = value()
  else if (arg === '--port') options.port = Number.parseInt(value(), 10)
  else usage(`unknown argument ${arg}`)
}
if (!options.rpcUrl) usage('missing --rpc-url')
if (!/^0x[0-9a-fA-F]{40}$/.test(options.recipient ?? '')) usage('missing or bad --recipient')
if (!/^0x[0-9a-fA-F]{40}$/.test(options.currency)) usage('bad --currency')
const key = process.env.MPPX_OPERATOR_KEY?.trim()
if (!key || !/^0x[0-9a-fA-F]{64}$/.test(key)) usage('set MPPX_OPERATOR_KEY to 0x + 64 hex digits')

const operator = privateKeyToAccount(key)
const chain = { ...tempoModerato, id: options.chainId }
const client = createClient({ chain, transport: http(options.rpcUrl) })

function sessionMethod(sse) {
  return tempo.session({
    account: operator,
    getClient: () => client,
    currency: options.currency,
    decimals: 6,
    recipient: options.recipient,
    operator: operator.address,
    chainId: options.chainId,
    feeToken: '0x20c0000000000000000000000000000000000000', // the operator pays fees in pathUSD
    store: Store.memory(),
    ...(sse ? { sse: true } : {}),
  })
}

// One store per method instance: a channel opened on one route is not known on the other, so each
// route is its own session in this script (mpp4j's example meters per channel across routes).
const secretKey = randomBytes(32).toString('base64')
const metered = Mppx.create({ methods: [sessionMethod(false)], secretKey, realm: '127.0.0.1' })
const streaming = Mppx.create({ methods: [sessionMethod(true)], secretKey, realm: '127.0.0.1' })

async function handle(request) {
  const url = new URL(request.url)
  if (url.pathname === '/api/metered') {
    const result = await metered.session({
      amount: '0.001',
      unitType: 'request',
      suggestedDeposit: '1',
    })(request)
    if (result.status === 402) return result.challenge
    return result.withReceipt(Response.json({ ok: true }))
  }
  if (url.pathname === '/api/stream') {
    const n = Math.min(Number.parseInt(url.searchParams.get('n') ?? '20', 10) || 20, 1000)
    const result = await streaming.session({
      amount: '0.0001',
      unitType: 'event',
      suggestedDeposit: '1',
    })(request)
    if (result.status === 402) return result.challenge
    // an AsyncIterable (not a generator function, which would charge by hand): mppx charges the
    // challenge amount per yielded value, the opening request's charge counting as the first
    async function* events() {
      for (let k = 1; k <= n; k++) yield JSON.stringify({ seq: k })
    }
    return result.withReceipt(events())
  }
  return new Response('not found', { status: 404 })
}

const server = createServer(
  MppxRequest.toNodeListener(handle, {
    onError: (e) => {
      process.stderr.write(`session-server.mjs: ${e instanceof Error ? e.message : String(e)}\n`)
      return new Response('internal error', { status: 500 })
    },
  }),
)
server.listen(options.port, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ listening: `http://127.0.0.1:${server.address().port}` }) + '\n')
})
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close()
    server.closeAllConnections?.()
    process.exit(0)
  })
}
