"""Every chunk's vectors in the multilingual encoder's space (`Chunk.shared_embedding`,
`shared_heading_embedding`), for answers across languages.

Existing chunks get them from the beat sweep (`knowledge.shared_vectors_sweep`), the same task that fills a
newly activated version's: nothing is embedded here. The two columns are stored out of line (EXTERNAL) so the
rows the everyday dense scans read stay as small as before (migration 0002): only a question nothing in its
own language answers reads them.
"""

import pgvector.django
from django.db import migrations, models

STORAGE = [
    "ALTER TABLE knowledge_chunk ALTER COLUMN shared_embedding SET STORAGE EXTERNAL, "
    "ALTER COLUMN shared_heading_embedding SET STORAGE EXTERNAL",
]


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0007_document_also_asked"),
    ]

    operations = [
        migrations.AddField(
            model_name="chunk",
            name="shared_embedding",
            field=pgvector.django.vector.VectorField(dimensions=512, null=True),
        ),
        migrations.AddField(
            model_name="chunk",
            name="shared_heading_embedding",
            field=pgvector.django.vector.VectorField(dimensions=512, null=True),
        ),
        migrations.RunSQL(STORAGE, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="chunk",
            index=models.Index(
                condition=models.Q(("is_live", True), ("shared_embedding__isnull", True)),
                fields=["agency"],
                name="knowledge_chunk_unshared",
            ),
        ),
    ]
