def saved_searches_run(*, frequency=None):
    return 0
