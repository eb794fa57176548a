#!/usr/bin/env bash
# Packages the extension as a .vsix without npm or vsce: a .vsix is a zip holding
# extension.vsixmanifest, [Content_Types].xml and the extension's files under extension/.
#   scripts/package.sh [OUTPUT.vsix]     (default: dist/<name>-<version>.vsix)
# Install it with: code --install-extension dist/aid-<version>.vsix
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v python3 >/dev/null || { echo "package.sh: python3 is needed" >&2; exit 2; }
python3 - "$root" "${1:-}" <<'PY'
import json, os, sys, zipfile
from xml.sax.saxutils import escape, quoteattr

root, output = sys.argv[1], sys.argv[2]
manifest = json.load(open(os.path.join(root, "package.json"), encoding="utf-8"))
name, version, publisher = manifest["name"], manifest["version"], manifest["publisher"]
output = output or os.path.join(root, "dist", f"{name}-{version}.vsix")

# What the extension needs at run time; tests, benchmarks and scripts stay out.
files = ["package.json", "extension.js", "README.md"]
for folder in ("lib", "media"):
    for entry in sorted(os.listdir(os.path.join(root, folder))):
        if os.path.isfile(os.path.join(root, folder, entry)):
            files.append(f"{folder}/{entry}")
missing = [f for f in files if not os.path.isfile(os.path.join(root, f))]
if missing:
    sys.exit(f"package.sh: missing {', '.join(missing)}")

types = {".json": "application/json", ".js": "application/javascript", ".md": "text/markdown",
         ".html": "text/html", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
         ".vsixmanifest": "text/xml"}
extensions = sorted({os.path.splitext(f)[1] for f in files} | {".vsixmanifest"})
content_types = ('<?xml version="1.0" encoding="utf-8"?>\n'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\n'
                 + "".join(f'  <Default Extension={quoteattr(e)} ContentType={quoteattr(types.get(e, "application/octet-stream"))}/>\n' for e in extensions)
                 + "</Types>\n")

def prop(key, value):
    return f'      <Property Id={quoteattr(key)} Value={quoteattr(value)} />\n'

vsixmanifest = f'''<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011" xmlns:d="http://schemas.microsoft.com/developer/vsx-schema-design/2011">
  <Metadata>
    <Identity Language="en-US" Id={quoteattr(name)} Version={quoteattr(version)} Publisher={quoteattr(publisher)} />
    <DisplayName>{escape(manifest.get("displayName", name))}</DisplayName>
    <Description xml:space="preserve">{escape(manifest.get("description", ""))}</Description>
    <Tags>{escape(",".join(manifest.get("keywords", [])))}</Tags>
    <Categories>{escape(",".join(manifest.get("categories", [])))}</Categories>
    <GalleryFlags>Public</GalleryFlags>
    <Properties>
{prop("Microsoft.VisualStudio.Code.Engine", manifest["engines"]["vscode"])}{prop("Microsoft.VisualStudio.Code.ExtensionDependencies", "")}{prop("Microsoft.VisualStudio.Code.ExtensionPack", "")}{prop("Microsoft.VisualStudio.Code.ExtensionKind", "workspace")}{prop("Microsoft.VisualStudio.Code.LocalizedLanguages", "")}{prop("Microsoft.VisualStudio.Services.GitHubFlavoredMarkdown", "true")}    </Properties>
  </Metadata>
  <Installation>
    <InstallationTarget Id="Microsoft.VisualStudio.Code"/>
  </Installation>
  <Dependencies/>
  <Assets>
    <Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true" />
    <Asset Type="Microsoft.VisualStudio.Services.Content.Details" Path="extension/README.md" Addressable="true" />
  </Assets>
</PackageManifest>
'''

os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
temporary = output + ".part"
with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as vsix:
    vsix.writestr("extension.vsixmanifest", vsixmanifest)
    vsix.writestr("[Content_Types].xml", content_types)
    for f in files:
        vsix.write(os.path.join(root, f), f"extension/{f}")
os.replace(temporary, output)
print(f"{output}: {len(files)} files, {os.path.getsize(output)} bytes")
PY
