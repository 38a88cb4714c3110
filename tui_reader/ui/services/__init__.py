"""The reader's workers: loading, the library watch and pulls, ranking, folder sync. Each
runs off the interface thread and posts messages (ui/messages.py); none touches a widget."""
