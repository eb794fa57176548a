'use strict';
// The daemon's build status (build/status, build/statusChanged) in editor terms: a summary for
// the status bar and diagnostics grouped by absolute path with 0-based ranges. The protocol's
// lines and columns are 1-based as compilers print them, with an exclusive endColumn.

const path = require('path');

/** A character past any line's end: the editor clamps it, so the diagnostic covers the line. */
const LINE_END = 100000;

const SEVERITIES = new Set(['error', 'warning', 'note', 'info', 'hint']);

/** One protocol diagnostic as `{range, severity, message, code, source, related}` (0-based). */
function toEditorDiagnostic(diagnostic) {
  const line = Math.max(0, (diagnostic.line || 1) - 1);
  const character = Math.max(0, (diagnostic.column || 1) - 1);
  let end;
  if (diagnostic.endLine || diagnostic.endColumn) {
    const endLine = Math.max(line, (diagnostic.endLine || diagnostic.line || 1) - 1);
    const endCharacter = diagnostic.endColumn ? Math.max(0, diagnostic.endColumn - 1) : LINE_END;
    end = { line: endLine, character: endLine === line ? Math.max(endCharacter, character) : endCharacter };
  } else {
    // Only a position: cover the rest of the line, as the editor cannot know the token.
    end = { line, character: LINE_END };
  }
  return {
    range: { start: { line, character }, end },
    severity: SEVERITIES.has(diagnostic.severity) ? diagnostic.severity : 'error',
    message: diagnostic.message || '',
    code: diagnostic.code,
    source: diagnostic.source ? `aid build (${diagnostic.source})` : 'aid build',
    related: Array.isArray(diagnostic.related) ? diagnostic.related : [],
  };
}

/**
 * The diagnostics of `status` grouped by absolute path (relative paths are the workspace's).
 * @returns {Map<string, object[]>}
 */
function diagnosticsByFile(workspaceRoot, status) {
  const byFile = new Map();
  for (const diagnostic of (status && status.diagnostics) || []) {
    if (!diagnostic || typeof diagnostic.path !== 'string') continue;
    const file = path.isAbsolute(diagnostic.path) ? diagnostic.path : path.join(workspaceRoot, diagnostic.path);
    if (!byFile.has(file)) byFile.set(file, []);
    byFile.get(file).push(toEditorDiagnostic(diagnostic));
  }
  return byFile;
}

/** `{state, errors, warnings, text, tooltip}` for the status bar and the view. */
function summarize(status) {
  const state = (status && status.state) || 'unknown';
  const diagnostics = (status && status.diagnostics) || [];
  const errors = diagnostics.filter((d) => d.severity === 'error' || !d.severity).length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  let text;
  switch (state) {
    case 'green': text = 'build green'; break;
    case 'red': text = errors ? `build red: ${errors} error${errors === 1 ? '' : 's'}` : 'build red'; break;
    case 'running': text = 'building'; break;
    default: text = 'no build yet';
  }
  const lines = [`Build: ${state}`];
  if (status && status.command) lines.push(`Command: ${status.command}`);
  if (status && status.run) lines.push(`Run ${status.run}${status.durationMs != null ? ` in ${Math.round(status.durationMs)} ms` : ''}`);
  if (status && status.message) lines.push(status.message);
  return { state, errors, warnings, text, tooltip: lines.join('\n') };
}

module.exports = { diagnosticsByFile, summarize, toEditorDiagnostic, LINE_END };
