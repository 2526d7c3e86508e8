#pragma once

#include "status/migrationstate.h"

#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <functional>
#include <vector>

struct MigrationRow;

// What the status table's filters let through: an app, a set of states, search words, and in
// history mode only applied rows. A value, so a worker thread can apply it to a copy of the rows.
struct MigrationRowFilter
{
    QString app;                // empty: every app
    unsigned states = ~0u;      // bit i set = MigrationState(i) shown
    QStringList words;          // each must occur (any case) in the app, name, "app.name" or file
    bool history = false;       // only rows with an applied time

    bool accepts(const MigrationRow &row) const;
    bool acceptsAll() const; // no filter at all: every row, without looking at one
};

// The orders of the table's columns, as pure functions of the rows, so that they run on the GUI
// thread for a small table and on the thread pool for a big one and give the same result.
// Every column's order is total: a row's number (its place in the model's (app, name, record id)
// order) breaks every tie, so descending is exactly ascending reversed.
namespace MigrationTableOrder {

using RowAt = std::function<const MigrationRow &(int)>;

// Whether source row a (at number ia) comes before b (at ib) in column's ascending order. One
// comparison of two rows: for placing a few rows in an order already computed.
bool less(const MigrationRow &a, int ia, const MigrationRow &b, int ib, int column);

// The rows of [0, rowCount) that filter accepts, in column's order (column < 0 or App: the row
// order itself). Keys are made once per row, so this is one pass and one sort of plain keys.
std::vector<int> shownRows(int rowCount, const RowAt &rowAt, int column, Qt::SortOrder order,
                           const MigrationRowFilter &filter);

} // namespace MigrationTableOrder
