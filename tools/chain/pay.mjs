#!/usr/bin/env node
// Pays an MPP 402 `tempo` or `stripe` charge with the reference client (mppx, pinned in
// package.json) and prints the outcome as one JSON line on stdout. For interop tests against a
// local chain or a local Stripe stand-in; it never calls Stripe itself.
//
// Usage:
//   MPPX_PRIVATE_KEY=0x<64 hex> node pay.mjs <url> [--rpc-url URL] [--chain-id N]
//       [--mode pull|push] [--method GET|POST] [--data BODY] [--print-credential]
//   node pay.mjs <url> --pay-with stripe [--spt TOKEN] [--payment-method PM]
//       [--method GET|POST] [--data BODY] [--print-credential]
//
//   --pay-with  tempo (default) or stripe: the one mppx method the client offers to pay with
//   --spt       stripe: the Shared Payment Token mppx sends (default spt_test_ + 24 random hex).
//               mppx asks a createToken callback for it; this script answers with this value
//               instead of minting one at Stripe, and prints what mppx asked for as tokenRequest
//   --payment-method  stripe: the PaymentMethod mppx passes to createToken (default pm_card_visa)
//   --method    HTTP method (default GET, or POST with --data); --data  the request body
//   --rpc-url   JSON-RPC endpoint of the chain (default: env RPC_URL, else http://127.0.0.1:8545)
//   --chain-id  the chain the client accepts (default 42431); a challenge for another chain is
//               refused by mppx (`expectedChainId`)
//   --mode      force pull (sign, the server broadcasts) or push (the client broadcasts and sends
//               the hash); default: mppx's choice, pull for a local private-key account
//   --print-credential  also print the decoded credential that was sent (test keys only)
//
// Output: {"status":200,"paymentReceipt":"<header>","receipt":{...decoded...},"body":"..."},
// plus "payer" (tempo) or "tokenRequest" (stripe: amount, currency, networkId, expiresAt,
// paymentMethod, metadata as mppx passed them to createToken).
// Exit code 0 for a 2xx final status, 1 otherwise, 2 for a usage error.
// The private key is read from the environment only and never printed.

import { randomBytes } from 'node:crypto'
import { Mppx, stripe, tempo } from 'mppx/client'
import { createClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { tempoModerato } from 'viem/tempo/chains'

function usage(message) {
  process.stderr.write(`pay.mjs: ${message}\n`)
  process.stderr.write(
    'usage: MPPX_PRIVATE_KEY=0x... node pay.mjs <url> [--rpc-url URL] [--chain-id N] ' +
      '[--mode pull|push] [--method M] [--data BODY] [--print-credential]\n' +
      '       node pay.mjs <url> --pay-with stripe [--spt TOKEN] [--payment-method PM] ' +
      '[--method M] [--data BODY] [--print-credential]\n',
  )
  process.exit(2)
}

function parseArgs(argv) {
  const options = {
    url: undefined,
    rpcUrl: process.env.RPC_URL || 'http://127.0.0.1:8545',
    chainId: 42431,
    mode: undefined,
    method: undefined,
    data: undefined,
    printCredential: false,
    payWith: 'tempo',
    spt: undefined,
    paymentMethod: 'pm_card_visa',
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = () => {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`)
      return argv[++i]
    }
    if (arg === '--rpc-url') options.rpcUrl = value()
    else if (arg === '--chain-id') options.chainId = Number.parseInt(value(), 10)
    else if (arg === '--mode') options.mode = value()
    else if (arg === '--method') options.method = value()
    else if (arg === '--data') options.data = value()
    else if (arg === '--print-credential') options.printCredential = true
    else if (arg === '--pay-with') options.payWith = value()
    else if (arg === '--spt') options.spt = value()
    else if (arg === '--payment-method') options.paymentMethod = value()
    else if (arg.startsWith('--')) usage(`unknown option ${arg}`)
    else if (options.url === undefined) options.url = arg
    else usage(`unexpected argument ${arg}`)
  }
  if (!options.url) usage('missing <url>')
  if (!Number.isSafeInteger(options.chainId) || options.chainId <= 0)
    usage('--chain-id must be a positive integer')
  if (options.mode !== undefined && options.mode !== 'pull' && options.mode !== 'push')
    usage('--mode must be pull or push')
  if (options.payWith !== 'tempo' && options.payWith !== 'stripe')
    usage('--pay-with must be tempo or stripe')
  if (options.spt !== undefined && !/^spt_[A-Za-z0-9_]{1,200}$/.test(options.spt))
    usage('--spt must look like spt_...')
  return options
}

function decodeBase64UrlJson(text) {
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
}

const options = parseArgs(process.argv.slice(2))

// The one payment method the client offers, and who pays: a tempo account or a Stripe token.
let method
let payer
let tokenRequest
if (options.payWith === 'stripe') {
  const spt = options.spt ?? `spt_test_${randomBytes(12).toString('hex')}`
  method = stripe.charge({
    paymentMethod: options.paymentMethod,
    // mppx calls this to get a Shared Payment Token for the challenge; a real client mints one
    // at Stripe for the challenge's networkId, amount and currency. Here: the given token.
    createToken: async ({ amount, currency, expiresAt, metadata, networkId, paymentMethod }) => {
      tokenRequest = { amount, currency, networkId, expiresAt, paymentMethod, metadata }
      return spt
    },
  })
} else {
  const key = process.env.MPPX_PRIVATE_KEY?.trim()
  if (!key || !/^0x[0-9a-fA-F]{64}$/.test(key)) usage('set MPPX_PRIVATE_KEY to 0x + 64 hex digits')
  const account = privateKeyToAccount(key)
  payer = account.address
  // viem's Tempo testnet chain definition (its serializers build 0x76 transactions), re-pointed
  // at the given RPC URL and chain id. mppx's default client would use the public testnet RPC.
  const chain = { ...tempoModerato, id: options.chainId }
  const getClient = () => createClient({ chain, transport: http(options.rpcUrl) })
  method = tempo.charge({
    account,
    getClient,
    expectedChainId: options.chainId,
    ...(options.mode ? { mode: options.mode } : {}),
  })
}

let sentCredential
const recordingFetch = async (input, init) => {
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined))
  const authorization = headers.get('authorization')
  if (authorization?.startsWith('Payment ')) sentCredential = authorization.slice('Payment '.length)
  return globalThis.fetch(input, init)
}

const mppx = Mppx.create({
  methods: [method],
  fetch: recordingFetch,
  polyfill: false,
})

const init = {}
if (options.method) init.method = options.method
if (options.data !== undefined) {
  init.body = options.data
  init.method ??= 'POST'
}

let response
try {
  response = await mppx.fetch(options.url, init)
} catch (error) {
  process.stdout.write(
    `${JSON.stringify({ error: error instanceof Error ? error.message : String(error), payer })}\n`,
  )
  process.exit(1)
}

const paymentReceipt = response.headers.get('payment-receipt') ?? undefined
const body = await response.text()
const result = {
  status: response.status,
  payer,
  tokenRequest,
  paymentReceipt,
  receipt: paymentReceipt ? decodeBase64UrlJson(paymentReceipt) : undefined,
  body: body.length > 2000 ? `${body.slice(0, 2000)}…` : body,
}
if (options.printCredential && sentCredential) result.credential = decodeBase64UrlJson(sentCredential)
process.stdout.write(`${JSON.stringify(result)}\n`)
process.exit(response.status >= 200 && response.status < 300 ? 0 : 1)
