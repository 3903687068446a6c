"""Public feedback: topics per agency, the offline classifier (topic and sentiment), and the services."""
