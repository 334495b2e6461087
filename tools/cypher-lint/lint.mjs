#!/usr/bin/env node
// Lint .cypher files with Neo4j's own Cypher front end (@neo4j-cypher/language-support).
//
//   node tools/cypher-lint/lint.mjs --schema SCHEMA.json [--cache DIR] FILE.cypher...
//
// SCHEMA.json is the linter's DbSchema (python -m orglink.graph.lint_schema SCHEMA.json).
// Prints one line per diagnostic, `file:line:col: severity: message` (1-based line and
// column in the file's own coordinates; a file may hold several `;`-separated statements
// and `//` comments), then a summary on stderr.
// Exit status: 0 clean (warnings allowed), 1 on any error, 2 on a usage problem.
//
// Severity policy (see README.md):
//   error   - syntax errors, semantic errors (undefined variable, arity, type, ...),
//             unknown function or procedure, unknown label or relationship type (the
//             package reports the latter as warnings; we promote them so `:Comunity` fails)
//   warning - unknown property key (false positives on inline property maps), deprecations,
//             pattern segments the model's graphSchema does not allow, other notifications
// "Parameter $x is not defined" errors are dropped unless the schema declares `parameters`.
//
// Speed (the package takes ~1-2 s to load and its semantic analysis ~0.1-4 s per file):
//   - files with identical content are linted once per run;
//   - --cache DIR keeps each file's diagnostics in DIR/<sha256>.json, keyed by this script,
//     the installed package version, package-lock.json, the schema file and the file's
//     content; a cached file is not linted again and its diagnostics are printed exactly as
//     a fresh lint prints them. The package is loaded only when some file is not cached.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@neo4j-cypher/language-support';
const SCRIPT_PATH = fileURLToPath(import.meta.url);
// Bump when the cache entry format changes.
const CACHE_FORMAT = 'orglink-cypher-lint-cache-1';

// The package is loaded lazily (loadPackage), only when a file has to be linted.
let lintCypherQuery, isNotParamError, parseStatementsStrs;

const USAGE =
  'usage: node tools/cypher-lint/lint.mjs --schema SCHEMA.json [--cache DIR] FILE.cypher...';

// DiagnosticSeverity of vscode-languageserver-types
const SEVERITY_ERROR = 1;

const UNKNOWN_LABEL =
  /^(Label|Relationship type|Label or relationship type) \S.* is not present in the database\./;

function usage(message) {
  if (message) console.error(`lint.mjs: ${message}`);
  console.error(USAGE);
  process.exit(2);
}

function parseArgs(argv) {
  let schemaPath;
  let cacheDir;
  const files = [];
  const valueOf = (i, name) => {
    if (i + 1 >= argv.length) usage(`${name} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--schema') {
      schemaPath = valueOf(i++, '--schema');
    } else if (arg.startsWith('--schema=')) {
      schemaPath = arg.slice('--schema='.length);
    } else if (arg === '--cache') {
      cacheDir = valueOf(i++, '--cache');
    } else if (arg.startsWith('--cache=')) {
      cacheDir = arg.slice('--cache='.length);
    } else if (arg === '-h' || arg === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--') {
      files.push(...argv.slice(i + 1));
      break;
    } else if (arg.startsWith('-')) {
      usage(`unknown option ${arg}`);
    } else {
      files.push(arg);
    }
  }
  if (!schemaPath) usage('--schema SCHEMA.json is required');
  if (cacheDir === '') usage('--cache needs a directory');
  if (files.length === 0) usage('no .cypher file given');
  return { schemaPath, cacheDir, files };
}

// Returns the schema and its raw text (the text is part of the cache key).
function loadSchema(path) {
  let raw;
  let schema;
  try {
    raw = readFileSync(path, 'utf8');
    schema = JSON.parse(raw);
  } catch (e) {
    usage(`cannot read schema ${path}: ${e.message}`);
  }
  for (const key of ['labels', 'relationshipTypes', 'propertyKeys']) {
    if (!Array.isArray(schema?.[key])) usage(`schema ${path} has no "${key}" list`);
  }
  if (schema.functions === undefined) {
    // Without a function catalogue the package does not flag unknown functions at all.
    usage(`schema ${path} has no "functions" catalogue`);
  }
  return { schema, raw };
}

async function loadPackage() {
  ({ lintCypherQuery, isNotParamError, parseStatementsStrs } = await import(PACKAGE));
}

// Blank out a trailing segment after the last `;` that holds only comments: the package
// reports it as an empty statement, though Neo4j tools accept a trailing comment.
// Comments become spaces (newlines kept), so offsets, lines and columns do not move.
function blankTrailingComments(text) {
  const segments = parseStatementsStrs(text);
  if (segments.length < 2) return text;
  const last = segments[segments.length - 1];
  if (!text.endsWith(last)) return text;
  const stripped = last.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  if (stripped.trim() !== '') return text;
  return text.slice(0, text.length - last.length) + last.replace(/[^\n]/g, ' ');
}

function classify(diagnostic) {
  if (diagnostic.severity === SEVERITY_ERROR) return 'error';
  if (UNKNOWN_LABEL.test(diagnostic.message)) return 'error';
  return 'warning';
}

// The diagnostics of one file's text: [{line, col, severity, message}], sorted by position.
// Needs the package (loadPackage) unless the text is blank.
function lintText(text, schema) {
  if (text.trim() === '') {
    return [{ line: 1, col: 1, severity: 'error', message: 'file holds no Cypher statement' }];
  }
  const { diagnostics } = lintCypherQuery(blankTrailingComments(text), schema, {
    consoleCommandsEnabled: false,
  });
  const found = [];
  const seen = new Set();
  for (const d of diagnostics) {
    if (schema.parameters === undefined && !isNotParamError(d)) continue;
    const line = d.range.start.line + 1;
    const col = d.range.start.character + 1;
    const severity = classify(d);
    const message = d.message.replace(/\s*\n\s*/g, ' ');
    const key = `${line}:${col}:${severity}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ line, col, severity, message });
  }
  found.sort((a, b) => a.line - b.line || a.col - b.col);
  return found;
}

// --- cache ----------------------------------------------------------------------------------

function sha256(text) {
  return createHash('sha256').update(text).digest('hex');
}

function readOptional(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

// The installed version of the package, read from its package.json without loading it.
function installedPackageVersion() {
  let dir = dirname(fileURLToPath(import.meta.resolve(PACKAGE)));
  for (;;) {
    const manifest = readOptional(join(dir, 'package.json'));
    if (manifest) {
      const parsed = JSON.parse(manifest);
      if (parsed.name === PACKAGE) return parsed.version;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package.json of ${PACKAGE}`);
    dir = parent;
  }
}

// Hash of everything but the file's content that decides a file's diagnostics.
function cacheContext(schemaRaw) {
  const parts = [
    CACHE_FORMAT,
    readFileSync(SCRIPT_PATH, 'utf8'),
    installedPackageVersion(),
    readOptional(join(dirname(SCRIPT_PATH), 'package-lock.json')),
    schemaRaw,
  ];
  return sha256(parts.map(sha256).join('\n'));
}

function cacheRead(cacheDir, key) {
  try {
    const entry = JSON.parse(readFileSync(join(cacheDir, `${key}.json`), 'utf8'));
    if (entry.format === CACHE_FORMAT && Array.isArray(entry.diagnostics)) return entry.diagnostics;
  } catch {
    // missing or unreadable entry: lint the file
  }
  return undefined;
}

// mkdir -p. Not mkdirSync(dir, {recursive: true}): that loops forever where mkdir fails with
// ENOENT although the parent exists (e.g. under /proc, Node 20).
function makeDirs(dir) {
  const missing = [];
  for (let d = resolvePath(dir); !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) mkdirSync(d);
}

// Write atomically (temporary file + rename), so concurrent runs never read half an entry.
// A cache that cannot be written is reported once and otherwise ignored.
let cacheWriteFailed = false;
let cacheDirMade = false;
function cacheWrite(cacheDir, key, diagnostics) {
  if (cacheWriteFailed) return;
  try {
    if (!cacheDirMade) makeDirs(cacheDir);
    cacheDirMade = true;
    const path = join(cacheDir, `${key}.json`);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: CACHE_FORMAT, diagnostics }) + '\n');
    renameSync(tmp, path);
  } catch (e) {
    cacheWriteFailed = true;
    console.error(`lint.mjs: cannot write the cache in ${cacheDir}: ${e.message}`);
  }
}

// --- linting the uncached texts -------------------------------------------------------------

async function main() {
  const { schemaPath, cacheDir, files } = parseArgs(process.argv.slice(2));
  const { schema, raw: schemaRaw } = loadSchema(schemaPath);
  const context = cacheDir === undefined ? '' : cacheContext(schemaRaw);

  // Read every file first; identical contents share one key and are linted once.
  const entries = files.map((file) => {
    try {
      const text = readFileSync(file, 'utf8');
      return { file, text, key: sha256(`${context}\n${sha256(text)}`) };
    } catch (e) {
      return { file, usageError: `cannot read ${file}: ${e.message}` };
    }
  });
  const found = new Map(); // key -> diagnostics
  const tasks = []; // the distinct texts to lint: [{key, text}]
  const seen = new Set();
  let cached = 0;
  for (const { key, text, usageError } of entries) {
    if (usageError || seen.has(key)) continue;
    seen.add(key);
    const hit = cacheDir === undefined ? undefined : cacheRead(cacheDir, key);
    if (hit) {
      found.set(key, hit);
      cached++;
    } else if (text.trim() === '') {
      found.set(key, lintText(text, schema)); // needs no package
    } else {
      tasks.push({ key, text });
    }
  }
  if (tasks.length > 0) {
    await loadPackage();
    for (const { key, text } of tasks) {
      const diagnostics = lintText(text, schema);
      found.set(key, diagnostics);
      if (cacheDir !== undefined) cacheWrite(cacheDir, key, diagnostics);
    }
  }

  let errors = 0;
  let warnings = 0;
  let usageErrors = 0;
  for (const { file, key, usageError } of entries) {
    if (usageError) {
      console.error(`lint.mjs: ${usageError}`);
      usageErrors++;
      continue;
    }
    for (const d of found.get(key)) {
      console.log(`${file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`);
      if (d.severity === 'error') errors++;
      else warnings++;
    }
  }
  const fromCache = cacheDir === undefined ? '' : `, ${cached} of ${seen.size} distinct from the cache`;
  console.error(
    `cypher-lint: ${files.length} file(s), ${errors} error(s), ${warnings} warning(s)${fromCache}`,
  );
  // exitCode rather than exit(): let stdout drain when it is a pipe
  process.exitCode = usageErrors ? 2 : errors ? 1 : 0;
}

await main();
