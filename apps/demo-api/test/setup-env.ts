// The in-process indexer logs every batch at INFO; the tests only need its warnings.
process.env['POWERTOOLS_LOG_LEVEL'] ??= 'WARN';
