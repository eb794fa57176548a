'use strict';
// The sidebar's HTML: media/sidebar.html with a fresh nonce per load and the webview's resource
// URIs filled in. The Content-Security-Policy lets in only the extension's own style sheet and
// the one script carrying the nonce: no inline scripts, no inline handlers, no other origins.

const crypto = require('crypto');
const fs = require('fs');

/** A crypto-random nonce (base64url: nothing that needs escaping in HTML or CSP). */
function makeNonce() {
  return crypto.randomBytes(18).toString('base64url');
}

/** The Content-Security-Policy for `cspSource` (webview.cspSource) and `nonce`. */
function contentSecurityPolicy(cspSource, nonce) {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

const escapeAttribute = (value) => String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The HTML of `templatePath` with {{csp}}, {{nonce}}, {{styleUri}} and {{scriptUri}} replaced.
 * @returns {{html: string, nonce: string}}
 */
function renderSidebar({ templatePath, cspSource, styleUri, scriptUri, nonce = makeNonce() }) {
  const template = fs.readFileSync(templatePath, 'utf8');
  const values = {
    csp: contentSecurityPolicy(cspSource, nonce),
    nonce,
    styleUri: String(styleUri),
    scriptUri: String(scriptUri),
  };
  const html = template.replace(/\{\{(\w+)\}\}/g, (match, name) => (name in values ? escapeAttribute(values[name]) : match));
  return { html, nonce };
}

module.exports = { makeNonce, contentSecurityPolicy, renderSidebar };
