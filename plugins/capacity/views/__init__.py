"""The ``/osaaminen`` page (supply and demand, warnings, who has free competence) and its exports."""
