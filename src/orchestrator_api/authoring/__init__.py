"""DAG definitions written through the API: validation with the DAG file parser, revisions, tasks, I/O.

An API DAG is stored as the YAML document a DAG file would hold (``DagDefinition``) and projected onto the
same rows ``dags sync`` writes (``Dag``, tags, tasks, ``DagCode``, dataset references, warnings), so the rest
of the service cannot tell it from a file DAG.
"""
