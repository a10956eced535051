import json

from django.db.models import ForeignKey, Lookup


@ForeignKey.register_lookup
class AnyOf(Lookup):
    """`field__any_of=ids`: the ids as one parameter, where `__in` prepares and sends one
    parameter per id — thousands when a search matched much of the COP, which cost more
    than the query itself."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*params, [int(value) for value in self.rhs]]

    def as_sqlite(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(list(self.rhs))]
