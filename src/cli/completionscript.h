#pragma once

#include <QString>

// Shell completion generated from CommandRegistry: commands, each command's options (values of
// --target, folders for DIR, files for FILE/PATH) and positional values (operations, shells).
namespace CompletionScript {
QString bash(); // for share/bash-completion/completions/migrationdesk
QString zsh();  // for share/zsh/vendor-completions/_migrationdesk
}
