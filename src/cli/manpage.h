#pragma once

#include <QString>

// migrationdesk(1) in roff, made from CommandRegistry (the same text as every --help), so the
// installed manual never drifts from the binary. The build runs `migrationdesk manpage`.
namespace ManPage {
QString render();
}
