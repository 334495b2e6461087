#!/usr/bin/env node
// Lint .cypher files with Neo4j's own Cypher front end (@neo4j-cypher/language-support).
//
//   node tools/cypher-lint/lint.mjs --schema SCHEMA.json FILE.cypher...
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

import { readFileSync } from 'node:fs';

// The package is loaded in main(), after the arguments are checked (it takes ~1 s to load).
let lintCypherQuery, isNotParamError, parseStatementsStrs;

const USAGE = 'usage: node tools/cypher-lint/lint.mjs --schema SCHEMA.json FILE.cypher...';

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
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--schema') {
      if (i + 1 >= argv.length) usage('--schema needs a path');
      schemaPath = argv[++i];
    } else if (arg.startsWith('--schema=')) {
      schemaPath = arg.slice('--schema='.length);
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
  if (files.length === 0) usage('no .cypher file given');
  return { schemaPath, files };
}

function loadSchema(path) {
  let schema;
  try {
    schema = JSON.parse(readFileSync(path, 'utf8'));
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
  return schema;
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

function lintFile(file, schema) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { usageError: `cannot read ${file}: ${e.message}` };
  }
  if (text.trim() === '') {
    return { found: [{ line: 1, col: 1, severity: 'error', message: 'file holds no Cypher statement' }] };
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
  return { found };
}

async function main() {
  const { schemaPath, files } = parseArgs(process.argv.slice(2));
  const schema = loadSchema(schemaPath);
  ({ lintCypherQuery, isNotParamError, parseStatementsStrs } = await import(
    '@neo4j-cypher/language-support'
  ));
  let errors = 0;
  let warnings = 0;
  let usageErrors = 0;
  for (const file of files) {
    const { found, usageError } = lintFile(file, schema);
    if (usageError) {
      console.error(`lint.mjs: ${usageError}`);
      usageErrors++;
      continue;
    }
    for (const d of found) {
      console.log(`${file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`);
      if (d.severity === 'error') errors++;
      else warnings++;
    }
  }
  console.error(
    `cypher-lint: ${files.length} file(s), ${errors} error(s), ${warnings} warning(s)`,
  );
  // exitCode rather than exit(): let stdout drain when it is a pipe
  process.exitCode = usageErrors ? 2 : errors ? 1 : 0;
}

await main();
