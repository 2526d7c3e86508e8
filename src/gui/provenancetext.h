#pragma once

#include "git/gitprovenance.h"

#include <QString>

// Git provenance as tooltip rich text, the same in the table row and the graph node:
// "Added in 1a2b3c4d5e 2026-11-24 “Add flows” · Deleted in … · Still on feature/x, origin/feature/x".
namespace ProvenanceText {
QString html(const MigrationProvenance &provenance, bool hasFile);
// One line, plain: for captions and the "no file" gutter.
QString oneLine(const MigrationProvenance &provenance, bool hasFile);
}
