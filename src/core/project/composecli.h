#pragma once

#include <QStringList>

// Which compose CLI runs `compose` commands: the v2 plugin (`docker compose`) or v1
// (`docker-compose`). Both exist in the wild.
enum class ComposeVariant { Plugin, Standalone };

namespace ComposeCli {
// Tries `docker compose version`, then `docker-compose version` (as the Hanna scripts do), once
// per process; later calls return the cached answer. ok is false when neither answered (the
// result is then Plugin, so the failure shows up on the real command with docker's own error).
// Blocking (a few ms to a second): call it before building plans, off the GUI thread if possible.
ComposeVariant detect(bool *ok = nullptr);
// Tests and the settings dialog can fix the answer (or forget it with reset()).
void setDetected(ComposeVariant variant);
void reset();
// The program and leading arguments: {"docker", "compose"} or {"docker-compose"}.
QStringList command(ComposeVariant variant);
QString variantName(ComposeVariant variant); // "docker compose" / "docker-compose"
}
