#include "consolestreamformatter.h"

void ConsoleStreamFormatter::setSecrets(const QStringList &secrets)
{
    m_text.setSecrets(secrets);
}

StyledChunk ConsoleStreamFormatter::feed(QByteArrayView bytes)
{
    return m_parser.feed(m_text.feed(bytes));
}

StyledChunk ConsoleStreamFormatter::finish()
{
    StyledChunk chunk = m_parser.feed(m_text.finish());
    m_parser.finish();
    return chunk;
}

void ConsoleStreamFormatter::restartLine(const TerminalEscapeState &state)
{
    m_text.restartLine();
    m_parser.startLine(state);
}
