// Compiles the channel-reserve stand-in (ChannelReserve.sol) with the pinned npm solc and writes
// ChannelReserve.json next to it: the runtime bytecode that anvil_setCode installs, the function
// selectors and the ABI.
//
//   node tools/chain/reserve/compile.mjs            # (re)write ChannelReserve.json
//   node tools/chain/reserve/compile.mjs --check    # exit 1 if ChannelReserve.json is stale
//   node tools/chain/reserve/compile.mjs --stdout   # print the artifact, write nothing
//
// Settings: solc 0.8.37, optimizer on (200 runs), EVM version cancun. The artifact is committed;
// a chain test recompiles and compares, so a change to the source without a recompile fails CI.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const solc = require('solc');

const here = dirname(fileURLToPath(import.meta.url));
const SOURCE = 'ChannelReserve.sol';
const ARTIFACT = join(here, 'ChannelReserve.json');
const EXPECTED_COMPILER = '0.8.37';

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--check' && a !== '--stdout');
if (unknown.length > 0 || args.length > 1) {
  process.stderr.write('usage: node compile.mjs [--check | --stdout]\n');
  process.exit(2);
}

const version = solc.version();
if (!version.startsWith(EXPECTED_COMPILER + '+')) {
  process.stderr.write(`solc ${version} found, ${EXPECTED_COMPILER} expected: run npm ci in tools/chain\n`);
  process.exit(2);
}

const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  outputSelection: { '*': { ChannelReserve: ['abi', 'evm.deployedBytecode.object', 'evm.methodIdentifiers'] } },
};
const input = {
  language: 'Solidity',
  sources: { [SOURCE]: { content: readFileSync(join(here, SOURCE), 'utf8') } },
  settings,
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
for (const e of output.errors ?? []) process.stderr.write(e.formattedMessage + '\n');
if (errors.length > 0) process.exit(1);

const contract = output.contracts[SOURCE].ChannelReserve;
const artifact = {
  contract: 'ChannelReserve',
  source: SOURCE,
  compiler: version,
  settings: { optimizer: settings.optimizer, evmVersion: settings.evmVersion },
  runtimeBytecode: '0x' + contract.evm.deployedBytecode.object,
  methodIdentifiers: Object.fromEntries(
    Object.entries(contract.evm.methodIdentifiers).map(([sig, sel]) => [sig, '0x' + sel]),
  ),
  abi: contract.abi,
};
const text = JSON.stringify(artifact, null, 2) + '\n';

if (args[0] === '--stdout') {
  process.stdout.write(text);
} else if (args[0] === '--check') {
  let committed = '';
  try {
    committed = readFileSync(ARTIFACT, 'utf8');
  } catch {
    // missing: stale
  }
  if (committed !== text) {
    process.stderr.write(`${ARTIFACT} is stale: run node tools/chain/reserve/compile.mjs\n`);
    process.exit(1);
  }
  process.stdout.write(`${ARTIFACT} is up to date\n`);
} else {
  writeFileSync(ARTIFACT, text);
  process.stdout.write(`wrote ${ARTIFACT} (${contract.evm.deployedBytecode.object.length / 2} bytes of runtime code)\n`);
}
