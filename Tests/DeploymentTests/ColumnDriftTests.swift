import Deployment
import TableAPI
import Testing

@Suite struct ColumnDriftTests {
    static let declared = [Column("id", .string), Column("total", .decimal(10, 2)), Column("at", .timestampLTZ(3))]

    static let cases: [([Column], [String])] = [
        (declared, []),
        (declared.reversed(), []),
        (declared.map { Column($0.name, $0.type.notNull) } + [Column("$rowtime", DataType.timestampLTZ(3).notNull)], []),
        ([Column("id", .string), Column("at", .timestampLTZ(3))], ["`total` DECIMAL(10, 2) is declared but the table has no such column"]),
        (declared + [Column("note", .string)], ["`note` STRING is in the table but not declared"]),
        ([Column("id", .bigint), Column("total", .decimal(12, 2)), Column("at", .timestampLTZ(3))],
         ["`id` is declared STRING but is BIGINT in the table", "`total` is declared DECIMAL(10, 2) but is DECIMAL(12, 2) in the table"]),
        ([Column("ID", .string), Column("total", .decimal(10, 2)), Column("at", .timestampLTZ(3))],
         ["`id` STRING is declared but the table has no such column", "`ID` STRING is in the table but not declared"]),
    ]

    @Test(arguments: cases)
    func theDifferencesAreNamedColumnByColumn(_ existing: [Column], _ expected: [String]) {
        #expect(ColumnDrift.differences(declared: Self.declared, existing: existing) == expected)
    }
}
